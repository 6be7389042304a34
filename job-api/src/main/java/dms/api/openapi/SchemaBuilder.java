package dms.api.openapi;

import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/** Short forms of the OpenAPI model's schema constructors. */
final class SchemaBuilder {

    private SchemaBuilder() {}

    static Schema ref(String component) {
        return OASFactory.createSchema().ref("#/components/schemas/" + component);
    }

    static Schema object(String description) {
        return OASFactory.createSchema().addType(SchemaType.OBJECT).description(description);
    }

    static Schema array(Schema items) {
        return OASFactory.createSchema().addType(SchemaType.ARRAY).items(items);
    }

    static Schema scalar(SchemaType type) {
        return OASFactory.createSchema().addType(type);
    }

    /** No constraint: any JSON value. */
    static Schema any(String description) {
        return OASFactory.createSchema().description(description);
    }

    static Schema oneOf(String description, Schema... options) {
        return OASFactory.createSchema().oneOf(List.of(options)).description(description);
    }
}
