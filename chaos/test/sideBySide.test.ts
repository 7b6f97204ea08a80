import { describe, expect, it } from 'vitest';
import { dealSideBySide, heldOutput, sideBySide } from '../src/runner/sideBySide.ts';

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

describe('heldOutput', () => {
  it("prints a system's lines as one block when its item ends, tagged lines of the others meanwhile", async () => {
    const printed: string[] = [];
    const output = heldOutput((line) => printed.push(line), 2);
    output.of(1)('system 1 starting');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const item = output.holding(2, async () => {
      output.of(2)('--- a (system 2)');
      await gate;
      output.of(2)('PASSED a');
      return 'a done';
    });
    await tick(1);
    output.of(1)('system 1 still starting');
    expect(printed).toEqual(['[1] system 1 starting', '[1] system 1 still starting']);
    release();
    await expect(item).resolves.toBe('a done');
    expect(printed[2]).toBe('--- a (system 2)\nPASSED a');
    output.of(2)('system 2 stopping');
    expect(printed[3]).toBe('[2] system 2 stopping');
  });

  it('on one system prints every line as it comes, untagged', async () => {
    const printed: string[] = [];
    const output = heldOutput((line) => printed.push(line), 1);
    await output.holding(1, async () => {
      output.of(1)('--- a');
      expect(printed).toEqual(['--- a']);
    });
  });
});

describe('dealSideBySide', () => {
  it('gives each item its index, and deals no more items after one failed', async () => {
    const ran: string[] = [];
    await expect(
      dealSideBySide([1, 2], ['a', 'b', 'c', 'd', 'e'], async (system, item, number, index) => {
        ran.push(`${item}${index}@${number}`);
        await tick(item === 'a' ? 20 : 1);
        if (item === 'b') throw new Error('b broke');
      }),
    ).rejects.toThrow('b broke');
    // a (slow) on system 1, b on system 2 fails: c, d and e are never dealt.
    expect(ran.sort()).toEqual(['a0@1', 'b1@2']);
  });
});
