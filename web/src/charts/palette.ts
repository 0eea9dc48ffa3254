// The charts' colours, apart from ECharts so the app's first chunk can use them without it.
/** Okabe–Ito: told apart by people with each common kind of colour blindness. */
export const PALETTE = {
  blue: '#0072B2',
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  yellow: '#F0E442',
  ink: '#1f2937',
};
