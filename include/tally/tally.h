/* The C API of Tally: compile a compensation plan, run it over data, read the
 * results. Callable from C99 and C++, and from any language with a C FFI
 * (Python ctypes, Rust, Go, Java/FFM, C#); docs/embedding.md has a tour.
 *
 * Conventions, which hold for every function below:
 *
 * - Handles are opaque. Each is created by a `tally_*_new` (or by
 *   tally_compile / tally_run) and released by its `tally_*_free`, which
 *   accepts NULL. A handle is never freed by another function.
 * - Every function that can fail returns a tally_status. TALLY_OK is 0.
 *   When a call fails, tally_last_error() gives the reason in words; it is
 *   per thread and, like errno, not cleared by calls that succeed.
 * - tally_compile always yields a plan handle (usable or not) and tally_run
 *   always yields a result handle, so the messages of a failure (errors with
 *   their file, line, column and hint) are read from that handle. Only a
 *   usage error (a NULL argument, an index out of range) or running out of
 *   memory yields no handle; *out is then set to NULL.
 * - Strings in and out are UTF-8, NUL-terminated. A `const char*` returned
 *   by a function belongs to the handle it came from and stays valid until
 *   that handle is freed. A `char*` returned through an out parameter
 *   belongs to the caller, who frees it with tally_free_string.
 * - No C++ exception ever crosses this interface: running out of memory is
 *   TALLY_OUT_OF_MEMORY, anything unexpected TALLY_INTERNAL_ERROR.
 * - Enums: each ends with a *_MAX_ENUM member that is not a value. It keeps
 *   the enum as wide as an int, so that a value this header does not list
 *   (from a newer header, or a mistake) is a defined value in C++ too and
 *   gets TALLY_INVALID_ARGUMENT rather than undefined behaviour.
 *
 * Threads: an engine and a compiled plan are immutable and may be used from
 * any number of threads at once (several tally_run calls on one plan in
 * parallel are the intended use). An options handle may be read by several
 * runs at once but must not be changed while a run uses it. A result is
 * read-only once tally_run returns and may be read from several threads.
 * tally_cancel may be called from any thread at any time.
 *
 * ABI policy: TALLY_ABI_VERSION is the version of this interface's binary
 * contract. Within one ABI version functions and enum values are only added,
 * never changed or removed; every struct is opaque, so it can grow without
 * breaking callers. A program checks at start-up that tally_abi_version()
 * equals the TALLY_ABI_VERSION it was compiled with. A change that breaks
 * the contract increments TALLY_ABI_VERSION and the library's SONAME.
 */
#ifndef TALLY_TALLY_H
#define TALLY_TALLY_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define TALLY_EXPORT __attribute__((visibility("default")))
#else
#define TALLY_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** The version of the binary interface this header describes. */
#define TALLY_ABI_VERSION 1

/** The ABI version of the library actually loaded (compare with TALLY_ABI_VERSION). */
TALLY_EXPORT int tally_abi_version(void);
/** The library's version, "0.1.0"; a static string, never freed. */
TALLY_EXPORT const char* tally_version(void);

/* ------------------------------------------------------------------ status */

/** How a call ended. New values may be added within an ABI version. */
typedef enum tally_status {
  TALLY_OK = 0,
  /** The plan does not compile: syntax or type errors (see the plan's messages). */
  TALLY_PLAN_ERROR = 1,
  /** The run failed on its data (a missing or malformed file, a bad row, an
   *  unknown payee) or on the plan at run time: see the result's messages. */
  TALLY_DATA_ERROR = 2,
  /** The caller broke this interface's contract: a NULL argument, an index
   *  out of range, an unknown enum value, columns of different lengths. */
  TALLY_INVALID_ARGUMENT = 3,
  /** tally_options_set_max_instructions was reached; the engine stays usable. */
  TALLY_INSTRUCTION_LIMIT = 4,
  /** tally_options_set_max_memory was reached. */
  TALLY_MEMORY_LIMIT = 5,
  /** tally_options_set_timeout_ms was reached. */
  TALLY_TIMEOUT = 6,
  /** The run's cancel token was cancelled (tally_cancel). */
  TALLY_CANCELLED = 7,
  /** Writing results failed (a folder that cannot be created, a full disk). */
  TALLY_IO_ERROR = 8,
  /** An allocation failed. */
  TALLY_OUT_OF_MEMORY = 9,
  /** A bug in Tally; tally_last_error says what. Please report it. */
  TALLY_INTERNAL_ERROR = 10,
  TALLY_STATUS_MAX_ENUM = 0x7FFFFFFF /**< not a status; see "Enums" above */
} tally_status;

/** "ok", "plan_error", "data_error", ...; a static string ("unknown" for a value not listed). */
TALLY_EXPORT const char* tally_status_name(tally_status status);

/** Why the most recent call on this thread that failed (returned a status
 *  other than TALLY_OK) failed; "" when none has. Calls that succeed leave it
 *  alone, so it can be read after going through a failed result's messages.
 *  Valid until the next failing call on the same thread. Never NULL. */
TALLY_EXPORT const char* tally_last_error(void);

/** Frees a string the library returned through a `char**` out parameter. NULL is ignored. */
TALLY_EXPORT void tally_free_string(char* string);

/* ---------------------------------------------------------------- handles */

/** A compiler and runner of plans. Holds no global state: several engines
 *  in one process never interact. Shareable between threads. */
typedef struct tally_engine tally_engine;
/** How tally_compile resolves a plan's `import "PATH"` lines. */
typedef struct tally_compile_options tally_compile_options;
/** A compiled plan (or the messages of one that did not compile). Immutable. */
typedef struct tally_plan tally_plan;
/** The messages of a plan or a result; belongs to that handle. */
typedef struct tally_messages tally_messages;
/** What a run reads and its limits. */
typedef struct tally_options tally_options;
/** Lets any thread stop the runs it was given to. */
typedef struct tally_cancel_token tally_cancel_token;
/** The outcome of a run: status, messages, tables, total. */
typedef struct tally_result tally_result;

TALLY_EXPORT tally_status tally_engine_new(tally_engine** out);
TALLY_EXPORT void tally_engine_free(tally_engine* engine);

/* ---------------------------------------------------------------- compile */

typedef enum tally_import_policy {
  /** Read PATH relative to the importing file (the default, as the `tally` program does). */
  TALLY_IMPORT_FILES = 0,
  /** Ask the resolver set by tally_compile_options_set_resolver; no file is read. */
  TALLY_IMPORT_RESOLVER = 1,
  /** Every import is an error: for untrusted plans, compiling never touches files. */
  TALLY_IMPORT_REFUSE = 2,
  TALLY_IMPORT_MAX_ENUM = 0x7FFFFFFF
} tally_import_policy;

/** Returns the text of plan file `path` (as written in the import line), or
 *  NULL when there is no such file (an error at the import line). The text
 *  belongs to the host and must stay valid until tally_compile returns. Called
 *  on the thread that called tally_compile. */
typedef const char* (*tally_import_resolver)(void* user_data, const char* path);

TALLY_EXPORT tally_status tally_compile_options_new(tally_compile_options** out);
TALLY_EXPORT void tally_compile_options_free(tally_compile_options* options);
TALLY_EXPORT tally_status tally_compile_options_set_imports(tally_compile_options* options,
                                                            tally_import_policy policy);
/** Sets the policy to TALLY_IMPORT_RESOLVER with this callback; user_data is passed back as is. */
TALLY_EXPORT tally_status tally_compile_options_set_resolver(tally_compile_options* options,
                                                             tally_import_resolver resolver,
                                                             void* user_data);

/** Compiles plan text. `name` is the file name messages give (e.g.
 *  "plan.tally"); `options` may be NULL (imports read from files). On
 *  TALLY_OK and TALLY_PLAN_ERROR, *out is a plan handle to free with
 *  tally_plan_free; on TALLY_PLAN_ERROR it holds the errors and cannot run. */
TALLY_EXPORT tally_status tally_compile(const tally_engine* engine, const char* source,
                                        const char* name, const tally_compile_options* options,
                                        tally_plan** out);
/** Reads and compiles a plan file (imports read from files). A missing file
 *  is TALLY_PLAN_ERROR with a message, like any other compile error. */
TALLY_EXPORT tally_status tally_compile_file(const tally_engine* engine, const char* path,
                                             tally_plan** out);
TALLY_EXPORT void tally_plan_free(tally_plan* plan);
/** 1 when the plan compiled and can run, 0 otherwise (and for NULL). */
TALLY_EXPORT int tally_plan_ok(const tally_plan* plan);
/** The plan's name from its header (`plan "Demo" version 1`): "Demo"; "" when it did not compile.
 */
TALLY_EXPORT const char* tally_plan_name(const tally_plan* plan);
/** Errors and warnings of the compile; belongs to the plan. NULL only for a NULL plan. */
TALLY_EXPORT const tally_messages* tally_plan_messages(const tally_plan* plan);

/* --------------------------------------------------------------- messages */

typedef enum tally_severity {
  TALLY_SEVERITY_ERROR = 0,
  TALLY_SEVERITY_WARNING = 1,
  TALLY_SEVERITY_NOTE = 2,
  TALLY_SEVERITY_MAX_ENUM = 0x7FFFFFFF
} tally_severity;

/** The texts of a message (tally_message_text). */
typedef enum tally_message_field {
  /** The plan or data file; "" when not tied to a file. */
  TALLY_MESSAGE_FILE = 0,
  /** What was expected and what was found. */
  TALLY_MESSAGE_TEXT = 1,
  /** A suggestion ("did you mean ..."), or "". */
  TALLY_MESSAGE_HINT = 2,
  /** The full rendering: `file:line:col: error: text`, the source line with a caret, the hint. */
  TALLY_MESSAGE_RENDERED = 3,
  TALLY_MESSAGE_MAX_ENUM = 0x7FFFFFFF
} tally_message_field;

/** How many messages there are; 0 for NULL. */
TALLY_EXPORT size_t tally_messages_count(const tally_messages* messages);
/** 1 when any message is an error; 0 otherwise and for NULL. */
TALLY_EXPORT int tally_messages_has_errors(const tally_messages* messages);
/** Message `index`'s severity and 1-based line and column (0 when unknown;
 *  for a data file, the row as a spreadsheet shows it and the field's
 *  position). Any out pointer may be NULL. */
TALLY_EXPORT tally_status tally_message_location(const tally_messages* messages, size_t index,
                                                 tally_severity* severity, int* line, int* column);
/** One text of message `index`; *out belongs to the messages' handle. */
TALLY_EXPORT tally_status tally_message_text(const tally_messages* messages, size_t index,
                                             tally_message_field field, const char** out);

/* ---------------------------------------------------------------- options */

TALLY_EXPORT tally_status tally_options_new(tally_options** out);
/** Frees the options. Runs that use them must have returned. */
TALLY_EXPORT void tally_options_free(tally_options* options);

/** Each source NAME binds to DIR/NAME.csv or DIR/NAME.json (default "."). */
TALLY_EXPORT tally_status tally_options_set_data_dir(tally_options* options, const char* dir);
/** Binds source `source` to file `path`; takes precedence over the data dir. */
TALLY_EXPORT tally_status tally_options_bind(tally_options* options, const char* source,
                                             const char* path);
/** The periods to pay, as labels of the plan's calendar ("2026-Q1"); either
 *  may be NULL (unbounded on that side). Default: every period with a credit. */
TALLY_EXPORT tally_status tally_options_set_periods(tally_options* options, const char* first,
                                                    const char* last);
/** Restricts the result tables to this payee (call once per payee); by default everybody. */
TALLY_EXPORT tally_status tally_options_add_payee(tally_options* options, const char* payee);
/** Nonzero: data errors become warnings and the rows concerned are listed in
 *  the rejects table instead of stopping the run. */
TALLY_EXPORT tally_status tally_options_set_lenient(tally_options* options, int lenient);
/** Threads the run may use: 1 = one, 0 = one per core (default). Results never depend on it. */
TALLY_EXPORT tally_status tally_options_set_threads(tally_options* options, unsigned threads);
/** Whether to build the credits and measures tables (default: both, 1). */
TALLY_EXPORT tally_status tally_options_set_tables(tally_options* options, int credits,
                                                   int measures);

/* Limits, for plans and data the host does not trust. A run that reaches one
 * stops with the status naming it and a message; engine and plan stay
 * usable. 0 = no limit (the default). */

/** Bytecode instructions the run may execute (counted per value computed). */
TALLY_EXPORT tally_status tally_options_set_max_instructions(tally_options* options,
                                                             uint64_t instructions);
/** Memory the run's data may take (columns, credits, results), in bytes. */
TALLY_EXPORT tally_status tally_options_set_max_memory(tally_options* options, uint64_t bytes);
/** Wall-clock time the run may take, in milliseconds from the call to tally_run. */
TALLY_EXPORT tally_status tally_options_set_timeout_ms(tally_options* options,
                                                       uint64_t milliseconds);

TALLY_EXPORT tally_status tally_cancel_token_new(tally_cancel_token** out);
/** Frees the caller's reference; options it was given to keep the token alive. */
TALLY_EXPORT void tally_cancel_token_free(tally_cancel_token* token);
/** Stops every run using the token at its next check (a few milliseconds at
 *  most), with TALLY_CANCELLED. Callable from any thread; NULL is ignored. */
TALLY_EXPORT void tally_cancel(tally_cancel_token* token);
/** Makes the token usable for new runs again. */
TALLY_EXPORT void tally_cancel_token_reset(tally_cancel_token* token);
/** 1 when tally_cancel was called (and not reset); 0 otherwise and for NULL. */
TALLY_EXPORT int tally_cancel_token_cancelled(const tally_cancel_token* token);
/** Runs with these options can be cancelled through `token` (NULL: not cancellable). */
TALLY_EXPORT tally_status tally_options_set_cancel_token(tally_options* options,
                                                         tally_cancel_token* token);

/* In-memory sources: columns of the host's own arrays. A source given in
 * memory takes precedence over files. Each call adds one column (named after
 * a field of the source; a field without a column is null) to source
 * `source`; every column of a source must have the same `count`.
 *
 * The arrays are NOT copied: they must stay alive and unchanged until the
 * last tally_run using these options returns. `valid` may be NULL (no nulls)
 * or point to `count` bytes, 0 = null, 1 = present. */

/** An int field (or a decimal, money or percent field at scale 0). */
TALLY_EXPORT tally_status tally_options_column_int64(tally_options* options, const char* source,
                                                     const char* field, const int64_t* values,
                                                     size_t count, const uint8_t* valid);
/** A decimal, money or percent field as integer units at `scale` decimal
 *  places: 12345.67 is 1234567 at scale 2; 8% is 8 at scale 2 (a fraction). */
TALLY_EXPORT tally_status tally_options_column_decimal(tally_options* options, const char* source,
                                                       const char* field, const int64_t* units,
                                                       int scale, size_t count,
                                                       const uint8_t* valid);
/** A date field as days since 1970-01-01 (2026-01-01 is 20454). */
TALLY_EXPORT tally_status tally_options_column_date(tally_options* options, const char* source,
                                                    const char* field, const int32_t* days,
                                                    size_t count, const uint8_t* valid);
/** A bool field, one byte a value: 0 or 1. */
TALLY_EXPORT tally_status tally_options_column_bool(tally_options* options, const char* source,
                                                    const char* field, const uint8_t* values,
                                                    size_t count, const uint8_t* valid);
/** Any field as UTF-8 text cells, parsed as in a CSV file ("2026-03-15",
 *  "120000", "0.08"). A NULL string is null. The strings must stay alive
 *  like the arrays above. */
TALLY_EXPORT tally_status tally_options_column_text(tally_options* options, const char* source,
                                                    const char* field, const char* const* values,
                                                    size_t count, const uint8_t* valid);

/* In-memory sources: rows handed over one at a time by a callback, for data
 * from a cursor or a generator. */

/** Fills `cells` (one per column given to tally_options_add_rows, in that
 *  order; NULL = null; text as in a CSV file) and returns 1, or returns 0 at
 *  the end. The cell strings belong to the host and must stay valid until the
 *  callback is called again or the run returns. Called on the thread that
 *  called tally_run; once per row per run. */
typedef int (*tally_row_callback)(void* user_data, const char** cells, size_t count);

/** Source `source` reads its rows from `next`; `columns` (copied) names the
 *  fields the cells fill. */
TALLY_EXPORT tally_status tally_options_add_rows(tally_options* options, const char* source,
                                                 const char* const* columns, size_t column_count,
                                                 tally_row_callback next, void* user_data);

/* -------------------------------------------------------------------- run */

/** Runs a compiled plan. `options` may be NULL (sources read from the current
 *  directory). Returns the run's status (TALLY_OK, TALLY_DATA_ERROR, a
 *  limit, TALLY_CANCELLED, ...); *out is then always a result handle with
 *  that status and the messages, to free with tally_result_free. A plan that
 *  did not compile gives TALLY_PLAN_ERROR and a result saying so. */
TALLY_EXPORT tally_status tally_run(const tally_engine* engine, const tally_plan* plan,
                                    const tally_options* options, tally_result** out);
TALLY_EXPORT void tally_result_free(tally_result* result);
/** The status tally_run returned for this result (TALLY_INVALID_ARGUMENT for NULL). */
TALLY_EXPORT tally_status tally_result_status(const tally_result* result);
/** Errors and warnings of the run; belongs to the result. */
TALLY_EXPORT const tally_messages* tally_result_messages(const tally_result* result);
/** The exact total paid in the plan currency ("12345.67"), and the currency
 *  ("USD"); "" when the run failed or for NULL. Belong to the result. */
TALLY_EXPORT const char* tally_result_total(const tally_result* result);
TALLY_EXPORT const char* tally_result_currency(const tally_result* result);

/** The result's tables. A table the run did not build has no columns. */
typedef enum tally_table {
  TALLY_TABLE_PAYOUTS = 0,  /**< payee, period, component, amount */
  TALLY_TABLE_CREDITS = 1,  /**< rule, transaction, row, payee, period, kind, share, amount */
  TALLY_TABLE_MEASURES = 2, /**< payee, period, measure, value */
  TALLY_TABLE_REJECTS = 3,  /**< kind, file, row, transaction, message (lenient runs) */
  TALLY_TABLE_PAYEES = 4,   /**< payee, then the roster's other fields */
  TALLY_TABLE_MAX_ENUM = 0x7FFFFFFF
} tally_table;

/** Rows and columns of a table; 0 for NULL or an unknown table. */
TALLY_EXPORT size_t tally_result_row_count(const tally_result* result, tally_table table);
TALLY_EXPORT size_t tally_result_column_count(const tally_result* result, tally_table table);
/** The name of column `column`; *out belongs to the result. */
TALLY_EXPORT tally_status tally_result_column_name(const tally_result* result, tally_table table,
                                                   size_t column, const char** out);
/** A cell as text, exactly as the CSV has it (amounts exact: "7400.00");
 *  *out belongs to the result. */
TALLY_EXPORT tally_status tally_result_cell(const tally_result* result, tally_table table,
                                            size_t row, size_t column, const char** out);
/** The whole result as JSON ({"ok", "status", "messages", "summary",
 *  "payouts", ...}; amounts as exact decimal strings). Free *out with
 *  tally_free_string. */
TALLY_EXPORT tally_status tally_result_json(const tally_result* result, char** out);

typedef enum tally_output_format {
  TALLY_FORMAT_CSV = 0,    /**< payouts.csv, credits.csv, measures.csv, rejects.csv */
  TALLY_FORMAT_JSON = 1,   /**< one .json file per table and run.json */
  TALLY_FORMAT_SQLITE = 2, /**< tally.sqlite with a table per result and `runs` */
  TALLY_FORMAT_MAX_ENUM = 0x7FFFFFFF
} tally_output_format;

/** Writes the result's tables into `directory` (created if missing), atomically:
 *  on failure (TALLY_IO_ERROR, reason in tally_last_error) no partial file is left. */
TALLY_EXPORT tally_status tally_result_write(const tally_result* result, const char* directory,
                                             tally_output_format format);

/* ------------------------------------------------------ explain, evaluate */

/** How payout or value `name` of `payee` in `period` ("2026-Q1") was
 *  computed, in a run over `options`' data (NULL: defaults), as JSON:
 *  {"ok", "messages", "tree": {"label", "value", "note", "children"}, "text"}.
 *  *out is set whenever the status is TALLY_OK or TALLY_DATA_ERROR (the
 *  JSON's messages then say why there is no explanation); free it with
 *  tally_free_string. */
TALLY_EXPORT tally_status tally_explain(const tally_engine* engine, const tally_plan* plan,
                                        const tally_options* options, const char* payee,
                                        const char* period, const char* name, char** out);

/** Evaluates one constant expression ("1.10 + 2.205", "round(2.5, 1, half_even)").
 *  On TALLY_OK, *value is the value printed with its unit ("3.305",
 *  "7400.00 USD") and, when `type` is not NULL, *type its type's name
 *  ("decimal"); free both with tally_free_string. On TALLY_PLAN_ERROR they
 *  are NULL and tally_last_error gives the rendered error. */
TALLY_EXPORT tally_status tally_evaluate(const tally_engine* engine, const char* expression,
                                         char** value, char** type);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TALLY_TALLY_H */
