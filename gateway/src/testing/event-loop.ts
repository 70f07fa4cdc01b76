/** Lets pending promise callbacks and I/O run for `turns` turns of the event loop (fakes that never wait on timers settle within them). */
export async function flushEventLoop(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
