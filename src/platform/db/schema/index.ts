export * from './access';
export * from './attribution';
export * from './chat';
export * from './history';
export * from './reporting';
export * from './salesforce';
export * from './users';
export * from './workspaces';
