package dms.api.projection;

import dms.common.messages.ConnectionProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Connection profiles by id; secrets are dropped on the way in, so no read can leak one. */
@ApplicationScoped
public class ProfileView {

    private static final Comparator<ConnectionProfile> ORDER = Comparator
            .comparing(ConnectionProfile::createTime, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(ConnectionProfile::id);

    private final Map<String, ConnectionProfile> profiles = new ConcurrentHashMap<>();

    public void put(String id, ConnectionProfile profile) {
        ConnectionProfile named = profile.id() == null ? profile.withIdAndTime(id, profile.createTime()) : profile;
        profiles.put(id, named.withoutSecrets());
    }

    public void remove(String id) {
        profiles.remove(id);
    }

    public Optional<ConnectionProfile> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(profiles.get(id));
    }

    public List<ConnectionProfile> all() {
        return profiles.values().stream().sorted(ORDER).toList();
    }
}
