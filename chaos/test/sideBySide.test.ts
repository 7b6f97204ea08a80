import { describe, expect, it } from 'vitest';
import { sideBySide } from '../src/runner/sideBySide.ts';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('sideBySide', () => {
  it('starts every system before the first item, deals every item once and closes every system', async () => {
    const events: string[] = [];
    await sideBySide({
      systems: 2,
      items: ['a', 'b', 'c', 'd', 'e'],
      start: async (number) => {
        await tick(number === 1 ? 1 : 30);
        events.push(`up ${number}`);
        return number;
      },
      run: async (system, item) => {
        events.push(`${item}@${system}`);
        await tick(5);
      },
      close: async (system) => {
        events.push(`closed ${system}`);
      },
    });
    expect(events.slice(0, 2).sort()).toEqual(['up 1', 'up 2']);
    const ran = events.filter((event) => event.includes('@'));
    expect(ran.map((event) => event[0])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(new Set(ran.map((event) => event.slice(2)))).toEqual(new Set(['1', '2']));
    expect(events.filter((event) => event.startsWith('closed')).sort()).toEqual(['closed 1', 'closed 2']);
  });

  it('closes the systems that started and runs nothing when one will not start', async () => {
    const closed: number[] = [];
    const ran: string[] = [];
    await expect(
      sideBySide({
        systems: 3,
        items: ['a', 'b'],
        start: async (number) => {
          if (number === 2) throw new Error('port taken');
          return number;
        },
        run: async (_, item) => {
          ran.push(item);
        },
        close: async (system) => {
          closed.push(system);
        },
      }),
    ).rejects.toThrow('port taken');
    expect(ran).toEqual([]);
    expect(closed.sort()).toEqual([1]);
  });

  it('stops dealing after an item fails, closes every system and throws that error', async () => {
    const ran: string[] = [];
    const closed: number[] = [];
    await expect(
      sideBySide({
        systems: 1,
        items: ['a', 'b', 'c'],
        start: async () => 1,
        run: async (_, item) => {
          ran.push(item);
          if (item === 'b') throw new Error('runner crashed');
        },
        close: async (system) => {
          closed.push(system);
        },
      }),
    ).rejects.toThrow('runner crashed');
    expect(ran).toEqual(['a', 'b']);
    expect(closed).toEqual([1]);
  });

  it('starts no more systems than items, and stops dealing when told to', async () => {
    let started = 0;
    let stop = false;
    const ran: string[] = [];
    await sideBySide({
      systems: 4,
      items: ['a', 'b'],
      start: async () => ++started,
      run: async (_, item) => {
        ran.push(item);
        stop = true;
      },
      close: async () => undefined,
      stopped: () => stop,
    });
    expect(started).toBe(2);
    expect(ran.length).toBeLessThanOrEqual(2);
    expect(ran.length).toBeGreaterThanOrEqual(1);
  });
});
