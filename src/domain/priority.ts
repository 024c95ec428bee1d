/** A task's priority, lowest first: its index is its rank, which is what orders and stores it. */
export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const DEFAULT_PRIORITY: Priority = 'none';

export function isPriority(value: unknown): value is Priority {
  return PRIORITIES.includes(value as Priority);
}

export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

export function priorityOfRank(rank: number): Priority {
  const priority = PRIORITIES[rank];
  if (priority === undefined) throw new RangeError(`No priority has rank ${rank}`);
  return priority;
}
