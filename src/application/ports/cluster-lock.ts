/** Work that one process at a time may do, across every instance of the service. */
export interface ClusterLock {
  /**
   * Runs `work` unless another process is running work of that `name`; resolves to its result,
   * or to null when it did not run. The lock goes with the process, should it die holding it.
   */
  runAlone<T>(name: string, work: () => Promise<T>): Promise<T | null>;
}
