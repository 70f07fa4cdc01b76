/** Injection token of the loaded {@link ConsoleBundle} (undefined when the console was not built). */
export const CONSOLE_BUNDLE = Symbol('CONSOLE_BUNDLE');
