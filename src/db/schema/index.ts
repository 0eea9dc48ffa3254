export * from './attribution';
export * from './history';
export * from './workspaces';
