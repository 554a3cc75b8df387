// Package urlnorm puts URLs in the one form tulieu identifies them by:
// the crawler deduplicates and keys its captures with it, and the catalog
// finds what was fetched for a link as the page printed it (an
// attachment's text, say) by the same form.
package urlnorm
