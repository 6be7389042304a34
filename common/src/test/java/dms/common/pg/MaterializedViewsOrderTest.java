package dms.common.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaterializedViewsOrderTest {

    @Test
    void aViewComesAfterEveryViewItReadsWhateverTheCatalogOrder() {
        Set<String> views = new LinkedHashSet<>(List.of("a_top", "b_middle", "c_base", "d_alone"));
        Map<String, Set<String>> reads = Map.of("a_top", Set.of("b_middle", "c_base"), "b_middle", Set.of("c_base"));
        assertEquals(List.of("c_base", "b_middle", "a_top", "d_alone"), MaterializedViews.dependencyOrder(views, reads));
    }
}
