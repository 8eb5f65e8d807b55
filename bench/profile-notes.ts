/**
 * What a CPU profile showed as the main cost of a figure that missed its goal, keyed by row id (or
 * its prefix: `client.pay` covers `client.pay.c1.fetch`, …). BENCHMARKS.md prints the note of every
 * row that missed its goal in that run, so a note disappears by itself once the goal is met. Update a
 * note when a new profile says otherwise. How to profile: see "Profiling" in BENCHMARKS.md.
 */
export const PROFILE_NOTES: Record<string, string> = {};

/** The note for a row id: the longest key that is the id or a dot-prefix of it. */
export function profileNote(id: string): string | undefined {
  const keys = Object.keys(PROFILE_NOTES)
    .filter((key) => id === key || id.startsWith(`${key}.`))
    .sort((a, b) => b.length - a.length);
  return keys[0] === undefined ? undefined : PROFILE_NOTES[keys[0]];
}
