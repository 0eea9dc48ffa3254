// Everything the dashboard draws with ECharts, as one lazily loaded module (see lazy.ts).
export { Chart } from './chart';
export { chatsOption, influenceOption, leadsOption } from './dashboard-charts';
