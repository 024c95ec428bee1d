import { apiTokensContract } from '../contracts/api-tokens.contract.ts';
import { commentsContract } from '../contracts/comments.contract.ts';
import { historyContract } from '../contracts/history.contract.ts';
import { outboxQueueContract } from '../contracts/outbox-queue.contract.ts';
import { inMemoryPersistence, type MakePersistence } from '../contracts/persistence.ts';
import { refreshTokensContract } from '../contracts/refresh-tokens.contract.ts';
import { staffSessionsContract } from '../contracts/staff-sessions.contract.ts';
import { tasksContract } from '../contracts/tasks.contract.ts';
import { unitOfWorkContract } from '../contracts/unit-of-work.contract.ts';
import { usersContract } from '../contracts/users.contract.ts';

const inMemory: MakePersistence = async () => inMemoryPersistence();

usersContract('in memory', inMemory);
tasksContract('in memory', inMemory);
commentsContract('in memory', inMemory);
historyContract('in memory', inMemory);
refreshTokensContract('in memory', inMemory);
apiTokensContract('in memory', inMemory);
unitOfWorkContract('in memory', inMemory);
outboxQueueContract('in memory', inMemory);
staffSessionsContract('in memory', inMemory);
