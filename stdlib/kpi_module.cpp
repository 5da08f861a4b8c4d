#include "stdlib/kpi_module.hpp"

namespace tally {

// Every ratio guards its denominator with `unless`: the division is computed
// only where the denominator is above zero, so a payee with no closed deals,
// no quota or no revenue gets zero instead of a run-time division by zero.
// Zeros are written as `x * 0` so that money stays in the plan's currency.
const char* kpi_module_text() {
  return R"tally(// stdlib/kpi: sales KPIs. A ratio whose denominator is zero is zero.

fn win_rate(won: int, lost: int): percent = 0% unless won + lost > 0 then won / (won + lost)

fn average_deal_size(won_value: money, won_deals: int): money =
  won_value * 0 unless won_deals > 0 then won_value / won_deals

fn sales_cycle_length(total_days: int, closed_deals: int): decimal =
  0 / 1 unless closed_deals > 0 then total_days / closed_deals

fn pipeline_velocity(opportunities: int, rate: percent, deal_size: money, cycle_days: decimal): money =
  deal_size * 0 unless cycle_days > 0 then opportunities * rate * deal_size / cycle_days

fn net_revenue_retention(start: money, expansion: money, contraction: money, churn: money): percent =
  0% unless start > start * 0 then (start + expansion - contraction - churn) / start

fn quota_attainment(actual: money, quota: money): percent =
  0% unless quota > quota * 0 then actual / quota

fn market_share(sales: money, market_size: money): percent =
  0% unless market_size > market_size * 0 then sales / market_size

fn cost_of_sales(incentive_cost: money, revenue: money): percent =
  0% unless revenue > revenue * 0 then incentive_cost / revenue
)tally";
}

}  // namespace tally
