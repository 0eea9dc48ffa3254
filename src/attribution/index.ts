// The attribution engine's public surface.
export * from './calendar';
export * from './credit';
export * from './engine';
export * from './history';
export * from './money';
export * from './result';
export * from './series';
