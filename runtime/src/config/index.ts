export * from './defineConfig.ts';
export * from './ConfigError.ts';
export * from './configFile.ts';
export * from './loadConfig.ts';
export * from './validateConfig.ts';
export * from './envTemplate.ts';
export * from './brokerKind.ts';
