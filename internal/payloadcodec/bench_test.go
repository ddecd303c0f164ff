package payloadcodec

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// BenchmarkCodecOverhead prints what encryption adds to a payload's round trip (to a
// payload and back) per payload size: the SDK's JSON converter alone is the baseline,
// run in the same benchmark, then the same with this codec.
func BenchmarkCodecOverhead(b *testing.B) {
	plain := converter.GetDefaultDataConverter()
	encrypted := New(testRing(b, "bench"), PlaintextRead).DataConverter()
	for _, size := range []int{100, 1 << 10, 10 << 10, 100 << 10, 1 << 20} {
		value := strings.Repeat("x", size)
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			roundTrip := func(dc converter.DataConverter) time.Duration {
				start := time.Now()
				for range b.N {
					p, err := dc.ToPayload(value)
					if err != nil {
						b.Fatal(err)
					}
					var back string
					if err := dc.FromPayload(p, &back); err != nil {
						b.Fatal(err)
					}
				}
				return time.Since(start)
			}
			b.SetBytes(int64(size))
			base := roundTrip(plain)
			enc := roundTrip(encrypted)
			n := float64(b.N)
			b.ReportMetric(float64(base.Nanoseconds())/n, "json-ns/op")
			b.ReportMetric(float64(enc.Nanoseconds())/n, "json+aes-ns/op")
			b.ReportMetric(float64(enc.Nanoseconds()-base.Nanoseconds())/n, "overhead-ns/op")
			b.ReportMetric(float64(enc)/float64(base), "x-baseline")
			p, _ := encrypted.ToPayload(value)
			q, _ := plain.ToPayload(value)
			// Stored size, metadata included: nonce, tag, the original metadata inside, key ID outside.
			b.ReportMetric(float64(proto.Size(p)-proto.Size(q)), "extra-bytes")
		})
	}
}
