/** Smallest number of a group that is more than half of it (3 of 4, 2 of 3, 1 of 1). */
export function majority(count: number): number {
  return Math.floor(count / 2) + 1;
}
