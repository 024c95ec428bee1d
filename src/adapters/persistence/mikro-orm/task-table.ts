import type { TaskProps, TaskStatus } from '../../../domain/task.ts';
import { integer, type Row, table, text, timestamp } from './columns.ts';

/** Where each property of a task is stored: a new task field is one line here. */
export const taskTable = table<TaskProps>('tasks', {
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
});

export type TaskRow = Row<TaskProps>;
