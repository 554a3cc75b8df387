// Package vntime owns Vietnam's time zone as the archive shows and reads
// times: UTC+7 all year round. Vietnam has had no daylight saving time
// since 1975, so a fixed offset is exact for everything the archive
// records, and needs no tz database on the server.
//
// Package extract does not use it: the dates it reads from pages can be
// older than 1975, and it asks the tz database for Asia/Ho_Chi_Minh.
package vntime
