package dms.e2e;

import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.ServiceProcess;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real headless chromium, against a job-api with tokens on the shared
 * stack and real workers: an operator creates a profile and a job (the source's databases
 * listed by the API), starts it, watches the dump finish and CDC's lag, checks the data
 * and promotes; bulk actions take jobs of one status; a viewer sees and cannot act; errors show
 * the API's problem text. Screenshots of the list and job pages go to {@code target/console/}.
 */
class ConsoleTest {

    private static final String OPERATOR = "console-operator-5b7d9f1a3c2e4680";
    private static final String VIEWER = "console-viewer-8e6c4a2f0d1b3957";
    private static final String DB = "console_shop";
    private static final Path SHOTS = Path.of("target", "console");

    private static ServiceProcess api;
    private static Browser browser;

    @BeforeAll
    static void stack() throws Exception {
        Assumptions.assumeTrue(Browser.missing().isEmpty(), () -> "ConsoleTest skipped: " + Browser.missing().get());
        Path file = Files.createTempFile("dms-console-tokens", ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "ops:operator:" + OPERATOR + "\nwatcher:viewer:" + VIEWER + "\n");
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        api = TestStack.get().newService(DmsService.JOB_API, "job-api-console", Map.of("dms.api.auth.tokens-file", file.toString()));
        api.start();
        PgCluster source = TestStack.get().source();
        source.createDatabase(DB);
        source.execute(DB, """
                CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, price numeric(10,2));
                INSERT INTO items SELECT i, 'item ' || i, i % 500 FROM generate_series(1, 20000) i;
                CREATE TABLE orders (id bigserial PRIMARY KEY, item_id bigint REFERENCES items, qty int);
                INSERT INTO orders (item_id, qty) SELECT 1 + i % 20000, i % 7 FROM generate_series(1, 5000) i;
                """);
        Api.createProfile("console-dst", TestStack.get().destination());
        Api.createProfile("console-view-src", source);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (api != null) {
            api.stop();
        }
    }

    private void signIn(String token, String who) {
        browser.open(api.url() + "/ui/login");
        browser.type("#token", token);
        browser.click("#sign-in");
        browser.awaitText("#who", who, 10);
    }

    /** The create form: the source chosen, its databases listed by the API (the orchestrator reaches the server). */
    private void fillJobForm(String id) {
        browser.open(api.url() + "/ui/new-job");
        browser.type("#job-id", id);
        new Select(browser.find("#job-source")).selectByValue("console-src");
        new Select(browser.find("#job-destination")).selectByValue("console-dst");
        browser.awaitText("#databases-list[data-profile=console-src]", DB, 30);
    }

    @Test
    void anOperatorMigratesADatabaseFromTheConsole() throws Exception {
        signIn(OPERATOR, "ops (operator)");

        // A profile from the profile page's form; the password goes to the API, never back.
        browser.open(api.url() + "/ui/profiles");
        browser.type("#profile-id", "console-src");
        browser.type("#profile-host", "127.0.0.1");
        browser.type("#profile-port", String.valueOf(TestStack.get().source().port()));
        browser.type("#profile-user", PgCluster.USER);
        browser.type("#profile-password", PgCluster.PASSWORD);
        new Select(browser.find("#profile-ssl")).selectByVisibleText("disable");
        browser.click("#create-profile");
        browser.awaitText("#outcome", "create-profile: done", 15);
        browser.awaitText("#profiles", "console-src", 10);

        // The create form lists the source's databases (the API's listing: no job is made for it), one is ticked.
        long jobsBefore = Api.request().baseUri(api.url()).header("Authorization", "Bearer " + OPERATOR)
                .get("/v1/migration-jobs").jsonPath().getList("migrationJobs").size();
        fillJobForm("console-shop");
        String listed = browser.find("#databases-list").getText();
        assertFalse(listed.contains("template0") || listed.contains("template1"), listed);
        assertTrue(listed.contains("maintenance database"), "postgres is marked: " + listed);
        assertEquals(jobsBefore, Api.request().baseUri(api.url()).header("Authorization", "Bearer " + OPERATOR)
                .get("/v1/migration-jobs").jsonPath().getList("migrationJobs").size(), "listing made no job");
        browser.click("input[name=databases][value=" + DB + "]");
        browser.click("#create-job");
        browser.until(d -> d.getCurrentUrl().endsWith("/ui/jobs/console-shop"), 15);
        browser.awaitText("#job-state", "NOT_STARTED", 10);
        assertEquals(List.of(DB), Api.request().baseUri(api.url()).header("Authorization", "Bearer " + OPERATOR)
                .get("/v1/migration-jobs/console-shop").jsonPath().getList("databases"));

        // The same id again: the API's 409 problem, as the page shows it; the listing says who migrates the database.
        fillJobForm("console-shop");
        browser.awaitText("#databases-list", "already migrated by console-shop", 10);
        browser.click("#create-job");
        assertTrue(browser.awaitText("#problem", "migration job console-shop already exists", 10).contains("(409)"));

        // Start, and watch the dump finish and CDC follow: the page polls the job.
        browser.open(api.url() + "/ui/jobs/console-shop");
        browser.click("#action-start");
        browser.awaitText("#outcome", "start: done", 30);
        browser.awaitText("#job-phase", "CDC", 60);
        String row = browser.awaitText("#databases tr[data-database=" + DB + "]", "2 / 2", 10);
        assertTrue(row.contains("25,000"), row);
        TestStack.get().source().execute(DB, "INSERT INTO orders (item_id, qty) SELECT 1 + i, 1 FROM generate_series(1, 100) i");
        // Lag and retained WAL are measured during CDC and shown live.
        browser.until(d -> !d.findElement(By.cssSelector("#databases tr[data-database=" + DB + "] .lag")).getText().equals("—"), 30);
        browser.until(d -> !d.findElement(By.cssSelector("#databases tr[data-database=" + DB + "] .wal")).getText().equals("—"), 30);

        // The data check, while the source keeps writing (each chunk waits for the destination to apply its
        // snapshot, which a write after it brings along), then the job page's screenshot with everything on it.
        var writer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        writer.scheduleWithFixedDelay(() -> TestStack.get().source().execute(DB, "INSERT INTO orders (item_id, qty) VALUES (1, 1)"),
                0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            browser.click("#action-verify");
            browser.awaitText("#data-check", "finished", 60);
            browser.awaitText("#data-check", "2 table(s) equal", 5);
        } finally {
            writer.shutdownNow();
            writer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        browser.awaitText("#events", "STATUS_CHANGED", 10);
        browser.screenshot(SHOTS.resolve("job-page.png"));

        // Promote asks first, then completes.
        String question = browser.clickAndConfirm("#action-promote");
        assertTrue(question.startsWith("Promote console-shop?"), question);
        browser.awaitText("#job-state", "COMPLETED", 60);
        assertEquals(TestStack.get().source().queryForString(DB, "SELECT count(*) FROM orders"),
                TestStack.get().destination().queryForString(DB, "SELECT count(*) FROM orders"));

        // The list: status filter, search, and a bulk action on jobs of one status only.
        Api.request().baseUri(api.url()).header("Authorization", "Bearer " + OPERATOR)
                .body(Map.of("id", "console-draft", "source", "console-src", "destination", "console-dst", "draft", true))
                .post("/v1/migration-jobs").then().statusCode(200);
        browser.open(api.url() + "/");
        browser.awaitText("#jobs", "console-draft", 10);
        browser.screenshot(SHOTS.resolve("jobs-list.png"));
        new Select(browser.find("#state-filter")).selectByValue("COMPLETED");
        browser.until(d -> {
            String t = d.findElement(By.cssSelector("#jobs")).getText();
            return t.contains("console-shop") && !t.contains("console-draft");
        }, 10);
        new Select(browser.find("#state-filter")).selectByValue("");
        browser.type("#search", "draft");
        browser.until(d -> {
            String t = d.findElement(By.cssSelector("#jobs")).getText();
            return t.contains("console-draft") && !t.contains("console-shop");
        }, 10);
        // A fresh list (no search under way, which would redraw it while boxes are ticked).
        browser.open(api.url() + "/");
        browser.awaitText("#jobs", "console-draft", 10);
        browser.click("input[name=jobIds][value=console-shop]");
        browser.awaitText("#bulk-bar", "status COMPLETED", 10);
        browser.click("input[name=jobIds][value=console-draft]");
        browser.awaitText("#bulk-mixed", "one status", 10);
        browser.click("input[name=jobIds][value=console-shop]");
        browser.awaitText("#bulk-bar", "status DRAFT", 10);
        browser.clickAndConfirm("#bulk-bar button.danger");
        browser.awaitText("#outcome", "batch-delete: done", 15);
        browser.until(d -> !d.findElement(By.cssSelector("#jobs")).getText().contains("console-draft"), 10);

        // No cookie carries the token: a form post from elsewhere has nothing to ride on.
        assertTrue(browser.driver.manage().getCookies().isEmpty(), "the console sets no cookie");
        RestAssured.given().baseUri(api.url()).contentType("application/x-www-form-urlencoded").formParam("jobIds", "console-shop")
                .post("/ui/data/jobs/batch/delete").then().statusCode(401);
    }

    @Test
    void aViewerSeesAndCannotAct() {
        Api.request().baseUri(api.url()).header("Authorization", "Bearer " + OPERATOR)
                .body(Map.of("id", "console-viewed", "source", "console-view-src", "destination", "console-dst", "draft", true))
                .post("/v1/migration-jobs").then().statusCode(200);
        // The pages are open, their data is not.
        browser.open(api.url() + "/ui/login");
        browser.click("#sign-out");
        browser.open(api.url() + "/ui/jobs/console-viewed");
        browser.awaitText("#problem", "(401)", 10);

        signIn(VIEWER, "watcher (viewer)");
        browser.open(api.url() + "/ui/jobs/console-viewed");
        browser.awaitText("#job-state", "DRAFT", 10);
        String note = browser.awaitText("#read-only", "read only", 10);
        assertTrue(note.contains("Start"), note);
        assertTrue(browser.driver.findElements(By.cssSelector("#actions button")).isEmpty(), "no action button for a viewer");
        browser.open(api.url() + "/");
        browser.awaitText("#jobs", "console-viewed", 10);
        assertTrue(browser.driver.findElements(By.cssSelector("input[name=jobIds]")).isEmpty(), "nothing to select for a viewer");

        // The create form is there and lists the databases (a read), the API refuses the creation: its 403 problem on the page.
        browser.open(api.url() + "/ui/new-job");
        browser.type("#job-id", "console-refused");
        new Select(browser.find("#job-source")).selectByValue("console-view-src");
        browser.awaitText("#databases-list[data-profile=console-view-src]", DB, 30);
        browser.click("#create-job");
        String problem = browser.awaitText("#problem", "(403)", 10);
        assertTrue(problem.contains("needs operator"), problem);
        RestAssured.given().baseUri(api.url()).header("Authorization", "Bearer " + VIEWER)
                .post("/ui/data/jobs/console-viewed/actions/delete").then().statusCode(403);
        assertEquals(List.of("DRAFT"), List.of(Api.request().baseUri(api.url()).header("Authorization", "Bearer " + VIEWER)
                .get("/v1/migration-jobs/console-viewed").<String>path("state")));
    }
}
