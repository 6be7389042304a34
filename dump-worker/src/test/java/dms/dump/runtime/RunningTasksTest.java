package dms.dump.runtime;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.CopyUnit;
import dms.common.messages.DumpTask;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.WorkerSignal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same task sent again while it runs here is not run twice, and the run in progress answers as its newest attempt. */
class RunningTasksTest {

    private final RunningTasks tasks = new RunningTasks();

    @Test
    void aTaskSentAgainWhileItRunsIsDroppedAndItsNewerAttemptTakenOver() {
        RunningTasks.Running first = tasks.start(copy(1));
        assertNotNull(first);
        assertNull(tasks.start(copy(3)), "attempt 3 meets attempt 1 running here");
        assertNull(tasks.start(copy(2)), "an older attempt changes nothing");
        assertEquals(new WorkerEvent.TaskRef(DumpTask.Kind.COPY_TABLE, 7, 3), first.ref());
        assertEquals(first.ref(), tasks.stamp(new WorkerEvent.UnitDone(WorkerEvent.Header.of("j", 1, "db", "w"), null)).task(), "its report names attempt 3");
        assertNull(tasks.stamp(WorkerEvent.signal("other", 1, "db", WorkerSignal.FAILED, "w")).task(), "another job's report");

        tasks.finish(first);
        assertTrue(tasks.all().isEmpty());
        assertNull(tasks.stamp(WorkerEvent.signal("j", 1, "db", WorkerSignal.FAILED, "w")).task(), "no task runs on this thread");
        RunningTasks.Running again = tasks.start(copy(4));
        assertNotNull(again, "delivered after the first run finished: it runs (and finds the unit copied)");
        tasks.finish(again);
    }

    @Test
    void anotherUnitOrSnapshotIsAnotherTask() {
        RunningTasks.Running first = tasks.start(copy(1));
        DumpTask otherSnapshot = new DumpTask.CopyTable(target(1), "snap-2", "0/2", unit(7));
        DumpTask otherUnit = new DumpTask.CopyTable(target(1), "snap-1", "0/1", unit(8));
        assertNotNull(tasks.start(otherSnapshot));
        assertNotNull(tasks.start(otherUnit));
        assertEquals(3, tasks.all().size());
        tasks.finish(first);
    }

    private static DumpTask copy(int attempt) {
        return new DumpTask.CopyTable(target(attempt), "snap-1", "0/1", unit(7));
    }

    private static DumpTask.Target target(int attempt) {
        return DumpTask.Target.of("j", 1, 1, "db", null, null, attempt);
    }

    private static CopyUnit unit(int no) {
        return new CopyUnit(no, "public", "t", List.of("id"), null, 10, 1, 0);
    }
}
