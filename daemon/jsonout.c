/* jsonout.c — the common values of faxintake's JSON. */
#include <stdio.h>

#include "faxintake/jsonout.h"
#include "faxintake/util.h"

json_object *
jsonout_str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *
jsonout_time(long long t)
{
	char iso[UTIL_ISO_LEN];

	util_time_iso(t, iso);
	return json_object_new_string(iso);
}

json_object *
jsonout_id(long long id)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", id);
	return json_object_new_string(s);
}
