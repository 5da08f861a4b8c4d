/* A tour of Tally's C API (include/tally/tally.h), in C11.
 *
 *   payouts PLAN DATA_DIR        e.g. payouts plans/demo.tally plans/data/demo
 *
 * 1. compiles PLAN and runs it over the CSV files in DATA_DIR, printing each
 *    payout and the total;
 * 2. compiles a small plan written below and runs it over data the program
 *    holds in its own arrays (in-memory columns, no file at all).
 *
 * Any failure prints its messages and exits with status 1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tally/tally.h"

/* Prints every message of a plan or a result (errors and warnings), each
 * rendered with its file, line, column, the source line and a hint. */
static void print_messages(const tally_messages* messages) {
  for (size_t i = 0; i < tally_messages_count(messages); ++i) {
    const char* rendered = NULL;
    if (tally_message_text(messages, i, TALLY_MESSAGE_RENDERED, &rendered) == TALLY_OK)
      fprintf(stderr, "%s\n", rendered);
  }
}

/* Prints the payouts table (payee, period, component, amount) and the total. */
static void print_payouts(const tally_result* result) {
  const size_t rows = tally_result_row_count(result, TALLY_TABLE_PAYOUTS);
  for (size_t row = 0; row < rows; ++row) {
    const char* cells[4] = {"", "", "", ""};
    for (size_t column = 0; column < 4; ++column)
      tally_result_cell(result, TALLY_TABLE_PAYOUTS, row, column, &cells[column]);
    printf("  %-6s %-8s %-16s %12s\n", cells[0], cells[1], cells[2], cells[3]);
  }
  printf("Total paid: %s %s\n", tally_result_total(result), tally_result_currency(result));
}

/* Runs the plan and prints its payouts; returns 0 on success. */
static int run_and_print(const tally_engine* engine, const tally_plan* plan,
                         const tally_options* options) {
  tally_result* result = NULL;
  const tally_status status = tally_run(engine, plan, options, &result);
  if (status != TALLY_OK) {
    fprintf(stderr, "run failed (%s):\n", tally_status_name(status));
    print_messages(tally_result_messages(result)); /* result is NULL only on misuse */
    tally_result_free(result);
    return 1;
  }
  print_payouts(result);
  tally_result_free(result);
  return 0;
}

/* The plan's file and data folder, as on the command line. */
static int run_files(const tally_engine* engine, const char* plan_path, const char* data_dir) {
  tally_plan* plan = NULL;
  if (tally_compile_file(engine, plan_path, &plan) != TALLY_OK) {
    print_messages(tally_plan_messages(plan)); /* a plan handle even when it does not compile */
    tally_plan_free(plan);
    return 1;
  }
  tally_options* options = NULL;
  int failed = tally_options_new(&options) != TALLY_OK ||
               tally_options_set_data_dir(options, data_dir) != TALLY_OK;
  if (failed)
    fprintf(stderr, "%s\n", tally_last_error());
  else {
    printf("%s over %s:\n", tally_plan_name(plan), data_dir);
    failed = run_and_print(engine, plan, options);
  }
  tally_options_free(options);
  tally_plan_free(plan);
  return failed;
}

/* A plan of our own, and its data from this program's arrays. */
static const char* const kPlan =
    "plan \"In-memory example\" version 1\n"
    "  currency USD\n"
    "  periods quarter\n"
    "  rounding half_even to 0.01\n"
    "\n"
    "source deals {\n"
    "  id: text key\n"
    "  rep: payee\n"
    "  amount: money\n"
    "  closed: date\n"
    "}\n"
    "\n"
    "roster reps {\n"
    "  id: text key\n"
    "  role: text\n"
    "}\n"
    "\n"
    "credit sold from deals on deal.closed {\n"
    "  deal.rep gets 100%\n"
    "}\n"
    "\n"
    "measure bookings: money = sum(credit.amount)\n"
    "\n"
    "payout commission = 10% * bookings\n";

static int run_columns(const tally_engine* engine) {
  /* Three deals, column by column. Amounts are cents (scale 2), dates are
   * days since 1970-01-01: 2026-02-10, 2026-03-31 and 2026-05-01. */
  static const char* const ids[] = {"D1", "D2", "D3"};
  static const char* const reps[] = {"ann", "ann", "bob"};
  static const int64_t cents[] = {1200000, 55025, 300000};
  static const int32_t days[] = {20494, 20543, 20574};
  static const char* const roster_ids[] = {"ann", "bob"};
  static const char* const roles[] = {"AE", "AE"};

  tally_plan* plan = NULL;
  if (tally_compile(engine, kPlan, "in_memory.tally", NULL, &plan) != TALLY_OK) {
    print_messages(tally_plan_messages(plan));
    tally_plan_free(plan);
    return 1;
  }
  /* The arrays are not copied: they must outlive the run (they are static here). */
  tally_options* options = NULL;
  int failed =
      tally_options_new(&options) != TALLY_OK ||
      tally_options_column_text(options, "deals", "id", ids, 3, NULL) != TALLY_OK ||
      tally_options_column_text(options, "deals", "rep", reps, 3, NULL) != TALLY_OK ||
      tally_options_column_decimal(options, "deals", "amount", cents, 2, 3, NULL) != TALLY_OK ||
      tally_options_column_date(options, "deals", "closed", days, 3, NULL) != TALLY_OK ||
      tally_options_column_text(options, "reps", "id", roster_ids, 2, NULL) != TALLY_OK ||
      tally_options_column_text(options, "reps", "role", roles, 2, NULL) != TALLY_OK;
  if (failed)
    fprintf(stderr, "%s\n", tally_last_error());
  else {
    /* ann: 10% of 12,550.25 = 1,255.025, rounded half-even: 1,255.02; bob: 300.00. */
    printf("%s over in-memory columns:\n", tally_plan_name(plan));
    failed = run_and_print(engine, plan, options);
  }
  tally_options_free(options);
  tally_plan_free(plan);
  return failed;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s PLAN DATA_DIR\n", argv[0]);
    return 2;
  }
  /* The library loaded must speak the ABI this program was compiled against. */
  if (tally_abi_version() != TALLY_ABI_VERSION) {
    fprintf(stderr, "libtally has ABI %d, this program needs %d\n", tally_abi_version(),
            TALLY_ABI_VERSION);
    return 1;
  }
  printf("Tally %s\n", tally_version());

  /* One engine for the whole program; it may be shared by threads. */
  tally_engine* engine = NULL;
  if (tally_engine_new(&engine) != TALLY_OK) {
    fprintf(stderr, "%s\n", tally_last_error());
    return 1;
  }
  int failed = run_files(engine, argv[1], argv[2]);
  if (!failed) failed = run_columns(engine);
  tally_engine_free(engine);
  return failed ? 1 : 0;
}
