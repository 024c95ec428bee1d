import type { Ports } from './ports/index.ts';

/** The use cases' own knobs, read from configuration by the composition root. */
export interface Settings {
  /** How long a refresh token stays usable after it is issued. */
  refreshTokenTtlSeconds: number;
  /** How long before a task's `dueAt` its assignee is reminded. */
  reminderLeadMs: number;
  /** How long a console session lasts after sign-in (ADMIN_SESSION_TTL). */
  staffSessionTtlSeconds: number;
}

/** What a driving adapter (HTTP, a script) hands the use cases: the ports and the settings. */
export interface Deps extends Ports {
  settings: Settings;
}
