package vntime

import "time"

// Zone is UTC+7 ("ICT"): the zone of the archive's pages, API, exports and
// search index for times and for dates written without a zone.
var Zone = time.FixedZone("ICT", 7*3600)
