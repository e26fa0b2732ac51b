/*
 * report_sections: the one list of a report's sections, in the order the
 * table and the JSON show them.  Adding a section = one report_<name>.c
 * (its figures through the store's functions, its renderings; see
 * report_int.h) and one line here, with its extern.
 */
#include <stddef.h>

#include "report_int.h"

extern const struct report_section report_groups, report_outcomes,
    report_referrals, report_unmatched, report_rsvps,
    report_funnels, report_ivr, report_outbox, report_opted_out;

const struct report_section *const report_sections[] = {
	&report_groups,
	&report_outcomes,
	&report_referrals,
	&report_unmatched,
	&report_funnels,
	&report_rsvps,
	&report_ivr,
	&report_outbox,
	&report_opted_out,
	NULL,
};
