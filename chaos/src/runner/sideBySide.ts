/**
 * Systems side by side: starts `systems` of them at once, and only when every one is up deals the
 * items, in order, to whichever system is free next (a system still starting takes the CPU a
 * running scenario's time bounds need). A system that will not start stops the run: no system
 * takes another item, the started ones are closed, and its error is thrown. Each system is closed
 * when the items are done (also after an error), and the first error is thrown.
 */
export async function sideBySide<System, Item>(options: {
  systems: number;
  items: readonly Item[];
  start: (number: number) => Promise<System>;
  /** Runs one item on one system (`number`: 1…systems). */
  run: (system: System, item: Item, number: number) => Promise<void>;
  close: (system: System) => Promise<void>;
  /** Checked before each item: true stops the dealing (Ctrl-C). */
  stopped?: () => boolean;
}): Promise<void> {
  const count = Math.max(1, Math.min(options.systems, options.items.length));
  let next = 0;
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => options.start(i + 1)));
  const failedStart = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  const systems = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (failedStart) {
    await Promise.allSettled(systems.map((system) => options.close(system)));
    throw failedStart.reason;
  }
  const worker = async (system: System, number: number): Promise<void> => {
    try {
      for (let index = next++; index < options.items.length && !options.stopped?.(); index = next++) {
        await options.run(system, options.items[index] as Item, number);
      }
    } catch (error) {
      next = options.items.length;
      throw error;
    } finally {
      await options.close(system);
    }
  };
  const outcomes = await Promise.allSettled(systems.map((system, i) => worker(system, i + 1)));
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
