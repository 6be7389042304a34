package dms.dump.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArchiveTocTest {

    private static final String LISTING = """
            ;
            ; Archive created at 2026-12-06 09:00:00 UTC
            ;
            215; 1259 16390 TABLE public t a b owner
            3350; 2606 16400 CONSTRAINT public t a b t a b_pkey owner
            3351; 1259 16413 INDEX public t_at owner
            3352; 2606 16420 FK CONSTRAINT public u u_t_fkey owner
            3353; 2620 16430 TRIGGER public t trg owner
            """;

    @Test
    void entriesAreToldApartByTheirCatalogNotTheirNames() {
        ArchiveToc toc = ArchiveToc.parse(LISTING);
        assertEquals(5, toc.entries().size());
        ArchiveToc.Entry pk = toc.entries().get(1);
        assertEquals(3350, pk.dumpId());
        assertEquals(16400, pk.oid());
        assertTrue(pk.isKeyConstraint());
        assertTrue(toc.entries().get(2).isIndex());
        assertFalse(toc.entries().get(3).isKeyConstraint(), "a foreign key needs both tables: left to post-data");
        assertFalse(toc.entries().get(4).isIndex());
    }

    @Test
    void listsRestoreOnlyOrAllButTheChosenEntries() {
        ArchiveToc toc = ArchiveToc.parse(LISTING);
        assertEquals("3351; 1259 16413 INDEX public t_at owner\n", ArchiveToc.only(List.of(toc.entries().get(2))));
        String without = toc.without(Set.of(3350, 3351));
        assertTrue(without.contains(";3350; 2606 16400 CONSTRAINT"));
        assertTrue(without.contains(";3351; 1259 16413 INDEX"));
        assertTrue(without.contains("\n3352; 2606 16420 FK CONSTRAINT"));
        assertTrue(without.contains("\n215; 1259 16390 TABLE"));
    }
}
