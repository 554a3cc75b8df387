package store

import (
	"context"
	"testing"
	"time"
)

// TestAttachmentTexts: a document's text is recorded per capture, the
// latest reading is the one given, the articles that attach it are
// marked changed for the index, and a capture with the bytes of one
// already read is known as read.
func TestAttachmentTexts(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	run, err := s.StartRun(ctx, []string{"http://e.test/"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	doc := "http://e.test/uploads/quyet-dinh.pdf?v=1&x=2"
	capture := func(digest string, at time.Duration) int64 {
		c := &Capture{RunID: run, URL: doc, FetchedAt: t0.Add(at), Status: 200, PayloadDigest: digest, WARCFile: "f.warc.gz"}
		id, err := s.AddCapture(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	pageCap, err := s.AddCapture(ctx, &Capture{RunID: run, URL: "http://e.test/van-ban-1", FetchedAt: t0, Status: 200, WARCFile: "f.warc.gz", Kind: KindArticle})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SaveArticle(ctx, "http://e.test/van-ban-1", Content{Kind: KindArticle, Title: "Văn bản", Body: "Xem tệp.",
		Attachments: []Attachment{{URL: doc, Text: "Quyết định"}}}, pageCap, t0); err != nil {
		t.Fatal(err)
	}
	seqBefore, _ := s.Seq(ctx)
	first := capture("sha1:AAAA", time.Minute)
	if err := s.SaveAttachmentText(ctx, AttachmentText{CaptureID: first, URL: doc, Reader: "pdftotext", Text: "Điều 1.", ExtractedAt: t0}); err != nil {
		t.Fatal(err)
	}
	changed, err := s.ChangedSince(ctx, seqBefore, 10)
	if err != nil || len(changed) != 1 || changed[0].URL != "http://e.test/van-ban-1" {
		t.Errorf("the attaching article is not marked changed: %v %v", err, changed)
	}
	same, other := capture("sha1:AAAA", 2*time.Minute), capture("sha1:BBBB", 3*time.Minute)
	for id, want := range map[int64]bool{first: false, same: true, other: false} {
		if got, err := s.AttachmentTextRead(ctx, id); err != nil || got != want {
			t.Errorf("capture %d read before: %v %v, want %v", id, got, err, want)
		}
	}
	if err := s.SaveAttachmentText(ctx, AttachmentText{CaptureID: other, URL: doc, Reader: "pdftotext", Text: "Điều 2.", ExtractedAt: t0}); err != nil {
		t.Fatal(err)
	}
	texts, err := s.AttachmentTexts(ctx, []string{doc, "http://e.test/none.pdf"})
	if err != nil || len(texts) != 1 || texts[doc].Text != "Điều 2." {
		t.Errorf("latest reading: %v %+v", err, texts)
	}
	if n := AttachmentName(doc); n != "quyet-dinh.pdf" {
		t.Errorf("name %q", n)
	}
}
