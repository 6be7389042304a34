package dms.e2e;

import io.restassured.path.json.JsonPath;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a user polling a job over REST sees while a fault lasts: every status
 * ({@code STATE/PHASE}; {@code unreadable: ...} while the API does not answer) and every passing
 * error of its first database, polled every 200 ms until closed.
 */
final class JobWatch implements AutoCloseable {

    final Set<String> statuses = ConcurrentHashMap.newKeySet();
    final Set<String> databaseErrors = ConcurrentHashMap.newKeySet();
    private final String jobId;
    private final Thread thread;
    private volatile boolean watching = true;

    private JobWatch(String jobId) {
        this.jobId = jobId;
        this.thread = new Thread(this::run, "job-watch-" + jobId);
    }

    static JobWatch start(String jobId) {
        JobWatch watch = new JobWatch(jobId);
        watch.thread.start();
        return watch;
    }

    private void run() {
        while (watching) {
            try {
                JsonPath doc = Api.job(jobId).jsonPath();
                statuses.add(doc.getString("state") + "/" + doc.getString("phase"));
                String error = doc.getString("databaseProgress[0].error");
                if (error != null) {
                    databaseErrors.add(error);
                }
            } catch (Exception e) { // rest-assured throws a ConnectException (checked) unannounced
                statuses.add("unreadable: " + e.getClass().getSimpleName());
            }
            KafkaProbe.sleep(200);
        }
    }

    @Override
    public void close() throws InterruptedException {
        watching = false;
        thread.join();
    }
}
