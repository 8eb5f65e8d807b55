export { loadConfigFromEnv, PHONEPE_ENV_VARIABLES } from './load-config-from-env.js';
export type { EnvConfig, EnvConfigWithoutWebhook, LoadConfigOptions, LoadedConfig } from './load-config-from-env.js';
export { ConfigError, isConfigError } from './config-error.js';
