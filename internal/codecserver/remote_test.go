package codecserver

import (
	"net/http"
	"net/http/httptest"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

// TestSDKRemoteCodecDecodesThroughTheServer: the SDK's remote codec client (what the CLI's
// --codec-endpoint and --codec-auth use) talks to this server as to any codec server.
func TestSDKRemoteCodecDecodesThroughTheServer(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(f.srv)
	defer srv.Close()
	remote := func(auth string) converter.PayloadCodec {
		return converter.NewRemotePayloadCodec(converter.RemotePayloadCodecOptions{
			Endpoint: srv.URL,
			ModifyRequest: func(r *http.Request) error {
				r.Header.Set("X-Namespace", "default")
				if auth != "" {
					r.Header.Set("Authorization", auth)
				}
				return nil
			},
		})
	}
	p, err := f.codec.DataConverter().ToPayload("Quinn Zebulon")
	if err != nil {
		t.Fatal(err)
	}
	out, err := remote("Bearer " + aliceToken).Decode([]*commonpb.Payload{p})
	if err != nil {
		t.Fatal(err)
	}
	var back string
	if err := converter.GetDefaultDataConverter().FromPayload(out[0], &back); err != nil || back != "Quinn Zebulon" {
		t.Fatalf("decoded %q %v", back, err)
	}
	if _, err := remote("").Decode([]*commonpb.Payload{p}); err == nil {
		t.Fatal("decoded without a token")
	}
}
