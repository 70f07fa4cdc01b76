/**
 * Everything the demo started, as undo steps run last-in first-out. Steps are registered BEFORE the
 * thing they undo is started (e.g. `network.sh down` before `up`), so an interrupt at any moment still
 * stops all of it. `run` is idempotent and keeps going when one step fails.
 */
interface UndoStep {
  name: string;
  undo: () => void | Promise<void>;
}

export class Teardown {
  readonly #steps: UndoStep[] = [];
  #running: Promise<void> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  /** Registers an undo step (sync or async); returns a function that runs and unregisters just this step. */
  add(name: string, undo: () => void | Promise<void>): () => Promise<void> {
    const step = { name, undo };
    this.#steps.push(step);
    return async () => {
      const index = this.#steps.indexOf(step);
      if (index < 0) return;
      this.#steps.splice(index, 1);
      await undo();
    };
  }

  /** Runs every registered step, newest first. */
  run(): Promise<void> {
    this.#running ??= this.#runAll();
    return this.#running;
  }

  async #runAll(): Promise<void> {
    while (this.#steps.length > 0) {
      const step = this.#steps.pop() as UndoStep;
      try {
        this.log(`stopping ${step.name}`);
        await step.undo();
      } catch (error) {
        this.log(
          `could not stop ${step.name}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
