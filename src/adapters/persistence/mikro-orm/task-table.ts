import { labelKey } from '../../../domain/labels.ts';
import { PRIORITIES } from '../../../domain/priority.ts';
import type { TaskProps, TaskStatus } from '../../../domain/task.ts';
import {
  arrayLiteral,
  integer,
  ranked,
  table,
  text,
  textArray,
  timestamp,
  timestampOrInfinity,
} from './columns.ts';

/** Where each property of a task is stored: a new task field is one line here. */
export const taskTable = table<TaskProps>(
  'tasks',
  {
    id: integer(),
    title: text(),
    description: text(),
    status: text<TaskStatus>(),
    assignedTo: integer().nullable(),
    projectId: integer().nullable(),
    createdBy: integer(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
    completedAt: timestamp().nullable(),
    version: integer(),
    dueAt: timestampOrInfinity(),
    priority: ranked(PRIORITIES),
    labels: textArray(),
  },
  // The labels' case-insensitive keys, which the label filter's GIN index holds.
  { labelKeys: (task) => arrayLiteral(task.labels.map(labelKey)) },
);
