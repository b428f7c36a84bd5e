/*
 * jsonout.h — the JSON values faxintake's output is made of (DESIGN.md
 * "JSON"): ids as strings, times in ISO 8601 Asia/Tokyo, NULL as null.
 * json-c objects; the caller owns what is returned (json_object_put).
 */
#ifndef FAXINTAKE_JSONOUT_H
#define FAXINTAKE_JSONOUT_H

#include <json-c/json.h>

json_object	*jsonout_str(const char *);	/* NULL gives null */
json_object	*jsonout_time(long long epoch);
json_object	*jsonout_id(long long id);	/* ids are strings */

#endif
