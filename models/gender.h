// The gender perspective, integral to the analysis: women's participation in the peace process
// and representation in parliament, a gender-based-violence (GBV) index that violence raises and
// that feeds risk as an early-warning signal, and the female shares of harm and displacement.
// Equations and sources: docs/model.md, section "gender".
#pragma once

namespace peacesim::models {

struct GenderParams {
  double participation0 = 0.1;    // wp(0)
  double representation0 = 0.15;  // wr(0)
  double gbv0 = 0.4;              // gbv(0)
  double inequality = 0.5;        // profile's gender inequality index (static)
  double female_share_deaths = 0.4;
  double female_share_displaced = 0.55;
  double participation_reversion = 0.02;  // monthly pull of wp back to wp(0)
  double gbv_from_violence = 0.05;        // gbv rise per month at war-level violence
  double gbv_recovery = 0.03;             // monthly decay of gbv toward gbv(0)
  double death_share_per_gbv = 0;         // female share of civilian deaths per unit of gbv - gbv(0)
  double death_share_per_displaced = 0;   // ... per unit of the displaced share of the population
  double displaced_share_per_gbv = 0;     // female share of the newly displaced per unit of gbv - gbv(0)
  double displaced_share_at_war = 0;      // ... added while at war
};

struct GenderState {
  double participation = 0;     // wp(t)
  double representation = 0;    // wr(t)
  double gbv = 0;               // gbv(t)
  double displaced_female = 0;  // women and girls among the displaced
};

struct GenderInputs {
  double participation_push = 0;  // from activities (gender/WPS)
  double representation_push = 0;
  double gbv_push = 0;  // from activities (protection, gender/WPS)
  double violence = 0;  // this month's battle deaths / war-level median, capped at 1
};

// Month 0: the initial indicators; the female share of the initially displaced is f_x.
GenderState initial_gender(const GenderParams& p, double displaced = 0);

// wp(t+1) = clip01(wp + r (wp0 - wp) + push_wp);  wr(t+1) = clip01(wr + push_wr);
// gbv(t+1) = clip01(gbv + g_v violence - g_r (gbv - gbv0) + push_gbv).
void step_gender(const GenderParams& p, const GenderInputs& in, GenderState& s);

// Female share of this month's civilian deaths: f_d + a_G (gbv - gbv(0)) + a_X (displaced share of
// the population - its month-0 value), in [0, 1]. Direct violence kills more men; GBV and the
// indirect deaths of displacement fall more on women and girls (Ormhaug, Meier & Hernes 2009;
// Plumper & Neumayer 2006).
double female_death_share(const GenderParams& p, const GenderState& s, double displaced_share_change);

// Women and girls among the displaced: the newly displaced are f_x + b_G (gbv - gbv(0)) + b_W 1[war]
// female (in [0, 1]); returns leave the female share of the stock unchanged. Bounded by `displaced`,
// the total after this month.
void step_female_displaced(const GenderParams& p, bool at_war, double new_displaced, double returned,
                           double displaced_before, double displaced, GenderState& s);

}  // namespace peacesim::models
