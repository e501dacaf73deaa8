package dev.myelin.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs an indexed task for 0..n-1 on a few threads, rethrowing the first failure unchanged. */
final class Parallel {
  private Parallel() {}

  /** A task that may fail with any exception. */
  @FunctionalInterface
  interface IndexedTask {
    void run(int index) throws Exception;
  }

  static void forEach(int n, int threads, IndexedTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, n)));
    try {
      List<Future<?>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  task.run(index);
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          futures.forEach(other -> other.cancel(true));
          if (e.getCause() instanceof Exception ex) {
            throw ex;
          }
          throw e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
