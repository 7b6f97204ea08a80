/**
 * Starts `count` systems at once. A system that will not start stops it: the started ones are
 * closed and its error is thrown.
 */
export async function startSideBySide<System>(
  count: number,
  start: (number: number) => Promise<System>,
  close: (system: System) => Promise<void>,
): Promise<System[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => start(i + 1)));
  const systems = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await Promise.allSettled(systems.map((system) => close(system)));
    throw failed.reason;
  }
  return systems;
}

/**
 * Deals the items, in order, to whichever system is free next (`number`: 1…systems). After an
 * item fails no system takes another; the first error is thrown once every system is idle.
 */
export async function dealSideBySide<System, Item>(
  systems: readonly System[],
  items: readonly Item[],
  run: (system: System, item: Item, number: number, index: number) => Promise<void>,
  stopped?: () => boolean,
): Promise<void> {
  let next = 0;
  const worker = async (system: System, number: number): Promise<void> => {
    try {
      for (let index = next++; index < items.length && !stopped?.(); index = next++) {
        await run(system, items[index] as Item, number, index);
      }
    } catch (error) {
      next = items.length;
      throw error;
    }
  };
  const outcomes = await Promise.allSettled(systems.map((system, i) => worker(system, i + 1)));
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

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
  const systems = await startSideBySide(count, options.start, options.close);
  try {
    await dealSideBySide(systems, options.items, options.run, options.stopped);
  } finally {
    await Promise.allSettled(systems.map((system) => options.close(system)));
  }
}

/**
 * The output of systems side by side: a line goes straight to `log` (tagged `[n] ` when there is
 * more than one system) unless its system runs an item, whose lines are held and printed as one
 * block when the item ends.
 */
export function heldOutput(
  log: (line: string) => void,
  systems: number,
): {
  /** The log of system `number` (1…systems). */
  of(number: number): (line: string) => void;
  /** Runs `work` with system `number`'s lines held (side by side), then prints them together. */
  holding<T>(number: number, work: () => Promise<T>): Promise<T>;
} {
  const held = new Map<number, string[]>();
  return {
    of:
      (number) =>
      (line): void => {
        const lines = held.get(number);
        if (lines) lines.push(line);
        else log(systems > 1 ? `[${number}] ${line}` : line);
      },
    async holding(number, work) {
      if (systems <= 1) return work();
      held.set(number, []);
      try {
        return await work();
      } finally {
        const lines = held.get(number) ?? [];
        held.delete(number);
        if (lines.length > 0) log(lines.join('\n'));
      }
    },
  };
}
