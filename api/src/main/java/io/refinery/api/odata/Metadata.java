package io.refinery.api.odata;

import io.refinery.warehouse.api.ServedColumn;

/** The CSDL ($metadata) of the feed, written once from the entity sets. */
final class Metadata {

    static final String NAMESPACE = "Refinery";

    private Metadata() {
    }

    static String csdl() {
        StringBuilder x = new StringBuilder(8192);
        x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<edmx:Edmx xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\" Version=\"4.0\">\n")
                .append("  <edmx:DataServices>\n")
                .append("    <Schema xmlns=\"http://docs.oasis-open.org/odata/ns/edm\" Namespace=\"").append(NAMESPACE).append("\">\n");
        for (EntitySet set : EntitySet.values()) {
            x.append("      <EntityType Name=\"").append(typeName(set)).append("\">\n        <Key>\n");
            for (String key : set.key()) {
                x.append("          <PropertyRef Name=\"").append(key).append("\"/>\n");
            }
            x.append("        </Key>\n");
            for (ServedColumn column : set.columns()) {
                boolean key = set.key().contains(column.name());
                x.append("        <Property Name=\"").append(column.name()).append("\" Type=\"").append(edmType(column))
                        .append('"');
                if (column.type() == io.refinery.warehouse.api.ColumnType.DECIMAL) {
                    x.append(" Precision=\"18\" Scale=\"4\"");
                }
                x.append(key ? " Nullable=\"false\"" : "").append("/>\n");
            }
            x.append("      </EntityType>\n");
        }
        x.append("      <EntityContainer Name=\"Container\">\n");
        for (EntitySet set : EntitySet.values()) {
            x.append("        <EntitySet Name=\"").append(set.name()).append("\" EntityType=\"").append(NAMESPACE)
                    .append('.').append(typeName(set)).append("\"/>\n");
        }
        x.append("      </EntityContainer>\n    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n");
        return x.toString();
    }

    static String typeName(EntitySet set) {
        return set.name() + "Row";
    }

    static String edmType(ServedColumn column) {
        return switch (column.type()) {
            case STRING -> "Edm.String";
            case DATE -> "Edm.Date";
            case DECIMAL -> "Edm.Decimal";
            case INTEGER -> "Edm.Int64";
            case DOUBLE -> "Edm.Double";
            case TIMESTAMP -> "Edm.DateTimeOffset";
            case BOOLEAN -> "Edm.Boolean";
        };
    }
}
