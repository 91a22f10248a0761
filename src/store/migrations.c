/*
 * migrations — the numbered SQL files of src/store/migrations/, embedded in the binary.
 *
 * Each file is pulled in by the assembler (.incbin, paths relative to the repository root,
 * where make runs) with a terminating NUL, so the binary needs no files at run time.
 * store_open() applies, in this order, those not yet in schema_migrations, one transaction
 * each. To add a migration, add its file and one X(...) line under your room's range
 * below (store 001-009, policy 010-019, chain 020-029, metrics 030-039, match 040-049,
 * demo 050-059). Editing a .sql file alone does not rebuild this object: `touch` this file.
 */
#include "store/store_int.h"

#define MIGRATIONS(X)                                                                              \
	/* store 001-009 */                                                                        \
	X(m001, "001_registry")                                                                    \
	X(m002, "002_accounts")                                                                    \
	X(m003, "003_store_meta")                                                                  \
	/* policy 010-019 */                                                                       \
	X(m010, "010_contracts")                                                                   \
	/* chain 020-029 */                                                                        \
	X(m020, "020_chain_lists")                                                                 \
	/* metrics 030-039 */                                                                      \
	X(m030, "030_analytics")                                                                   \
	/* match 040-049 */                                                                        \
	X(m040, "040_match_journal")                                                               \
	X(m041, "041_match_journal_range")                                                         \
	/* demo 050-059 */                                                                        \
	/* auth 060-069 */                                                                        \
	X(m060, "060_auth")

#define EMBED(sym, file)                                                                           \
	__asm__(".pushsection .rodata\n"                                                           \
		"cf_store_" #sym ":\n"                                                             \
		".incbin \"src/store/migrations/" file ".sql\"\n"                                  \
		".byte 0\n"                                                                        \
		".popsection\n");                                                                  \
	extern const char sym[] __asm__("cf_store_" #sym);
MIGRATIONS(EMBED)

#define ENTRY(sym, file) {file, sym},
const store__migration store__migrations[] = {MIGRATIONS(ENTRY)};
const size_t store__nmigrations = sizeof store__migrations / sizeof store__migrations[0];
