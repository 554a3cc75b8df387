// Package attach reads the text of the documents a site attaches to its
// articles (decisions, plans, reports): PDF, DOCX, XLSX, PPTX, ODT, ODS,
// ODP, and the legacy DOC and XLS, so that researchers can search what
// the documents say and not only the two-line article that links them.
//
// The Office Open XML and OpenDocument formats are zip files of XML and
// are read here with the standard library, bounded against zip bombs.
// PDF and the legacy binary formats are read by the programs every
// Linux distribution packages for it, when installed: pdftotext
// (poppler-utils: the reference PDF text extractor, which handles the
// fonts, encodings and ToUnicode maps Vietnamese PDFs need; no pure-Go
// library reads them as well), antiword for DOC and xls2csv (catdoc) for
// XLS. When a program is missing, Text says which package provides it.
//
// Text is returned in NFC, paragraphs separated by a blank line.
package attach
