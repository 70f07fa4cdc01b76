/** A configuration value is missing or invalid; `key` names the env var or file field to fix. */
export class ConfigError extends Error {
  readonly key: string;

  constructor(key: string, problem: string) {
    super(`invalid configuration ${key}: ${problem}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}
