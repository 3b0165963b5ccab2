package dev.twikitorders.registry.serde;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Rewrites a writer schema so that its named types (records, enums, fixed) carry the reader's names
 * wherever the two schemas line up structurally. Avro resolves named types by full name
 * (specification, "Schema Resolution"), so a producer that used an equivalent schema under another
 * name or namespace could not be read at all; after alignment, records resolve field by field as
 * usual. The binary layout is untouched: only names change.
 *
 * <p>A writer record takes the reader's name only when its fields line up: every reader field
 * without a default exists in the writer (by name or reader alias) and at least one field is
 * shared. Otherwise it keeps its name and resolution reports the mismatch.
 *
 * <p>Not thread-safe: use one instance per alignment.
 */
final class SchemaAligner {
  private final Map<Schema, Schema> done = new IdentityHashMap<>();

  private SchemaAligner() {}

  /** {@code writer} with named types renamed to their counterparts in {@code reader}. */
  static Schema align(Schema writer, Schema reader) {
    return new SchemaAligner().go(writer, reader);
  }

  private Schema go(Schema w, Schema r) {
    Schema memo = done.get(w);
    if (memo != null) {
      return memo;
    }
    Schema counterpart =
        r == null
            ? null
            : r.getType() == Schema.Type.UNION && w.getType() != Schema.Type.UNION
                ? branchFor(w, r)
                : r;
    return switch (w.getType()) {
      case RECORD ->
          record(
              w,
              counterpart != null && counterpart.getType() == Schema.Type.RECORD
                  ? counterpart
                  : null);
      case ENUM ->
          named(
              w,
              counterpart != null && counterpart.getType() == Schema.Type.ENUM
                  ? counterpart
                  : null);
      case FIXED ->
          named(
              w,
              counterpart != null
                      && counterpart.getType() == Schema.Type.FIXED
                      && counterpart.getFixedSize() == w.getFixedSize()
                  ? counterpart
                  : null);
      case ARRAY ->
          copyProps(
              w,
              Schema.createArray(
                  go(
                      w.getElementType(),
                      counterpart != null && counterpart.getType() == Schema.Type.ARRAY
                          ? counterpart.getElementType()
                          : null)));
      case MAP ->
          copyProps(
              w,
              Schema.createMap(
                  go(
                      w.getValueType(),
                      counterpart != null && counterpart.getType() == Schema.Type.MAP
                          ? counterpart.getValueType()
                          : null)));
      case UNION -> {
        List<Schema> branches = new ArrayList<>();
        for (Schema branch : w.getTypes()) {
          Schema readerBranch =
              r == null ? null : r.getType() == Schema.Type.UNION ? branchFor(branch, r) : r;
          branches.add(go(branch, readerBranch));
        }
        yield Schema.createUnion(branches);
      }
      default -> w;
    };
  }

  private Schema record(Schema w, Schema r) {
    boolean rename = r != null && !r.getFullName().equals(w.getFullName()) && fieldsLineUp(w, r);
    Schema copy =
        Schema.createRecord(
            rename ? r.getName() : w.getName(),
            w.getDoc(),
            rename ? r.getNamespace() : w.getNamespace(),
            w.isError());
    done.put(w, copy);
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field wf : w.getFields()) {
      Schema.Field rf = r == null ? null : readerField(r, wf.name());
      fields.add(new Schema.Field(wf, go(wf.schema(), rf == null ? null : rf.schema())));
    }
    copy.setFields(fields);
    w.getAliases().forEach(copy::addAlias);
    return copyProps(w, copy);
  }

  private Schema named(Schema w, Schema r) {
    if (r == null || r.getFullName().equals(w.getFullName())) {
      done.put(w, w);
      return w;
    }
    Schema copy =
        w.getType() == Schema.Type.ENUM
            ? Schema.createEnum(
                r.getName(), w.getDoc(), r.getNamespace(), w.getEnumSymbols(), w.getEnumDefault())
            : Schema.createFixed(r.getName(), w.getDoc(), r.getNamespace(), w.getFixedSize());
    done.put(w, copy);
    return copyProps(w, copy);
  }

  private static boolean fieldsLineUp(Schema w, Schema r) {
    boolean shared = false;
    for (Schema.Field rf : r.getFields()) {
      boolean present =
          w.getField(rf.name()) != null
              || rf.aliases().stream().anyMatch(a -> w.getField(a) != null);
      if (!present && !rf.hasDefaultValue()) {
        return false;
      }
      shared |= present;
    }
    return shared;
  }

  private static Schema.Field readerField(Schema r, String writerName) {
    Schema.Field f = r.getField(writerName);
    if (f != null) {
      return f;
    }
    for (Schema.Field candidate : r.getFields()) {
      if (candidate.aliases().contains(writerName)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * The branch of reader union {@code r} that writer schema {@code w} should resolve to: same full
   * name, else same short name, else the only branch of that type; {@code null} when there is none
   * or it is ambiguous.
   */
  private static Schema branchFor(Schema w, Schema r) {
    Schema onlyOfType = null;
    int ofType = 0;
    for (Schema branch : r.getTypes()) {
      if (branch.getType() != w.getType()) {
        continue;
      }
      if (!isNamed(w) || branch.getFullName().equals(w.getFullName())) {
        return branch;
      }
      onlyOfType = branch;
      ofType++;
    }
    if (isNamed(w)) {
      for (Schema branch : r.getTypes()) {
        if (branch.getType() == w.getType() && branch.getName().equals(w.getName())) {
          return branch;
        }
      }
    }
    return ofType == 1 ? onlyOfType : null;
  }

  private static boolean isNamed(Schema s) {
    return s.getType() == Schema.Type.RECORD
        || s.getType() == Schema.Type.ENUM
        || s.getType() == Schema.Type.FIXED;
  }

  private static Schema copyProps(Schema from, Schema to) {
    from.getObjectProps().forEach(to::addProp);
    if (from.getLogicalType() != null && to.getLogicalType() == null) {
      from.getLogicalType().addToSchema(to);
    }
    return to;
  }
}
