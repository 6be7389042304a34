package dms.dump.postdata;

import dms.dump.schema.ArchiveToc;

/** One index or key constraint of a loaded table to build: the archive's entry and the index's size on the source. */
record IndexJob(ArchiveToc.Entry entry, long sourceBytes) {}
