package payloadcodec

import (
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// DataConverter is the SDK's default converter with this codec after it: workflow and
// activity inputs and results, signal, update and query arguments and results, memos,
// heartbeat details, side effects and user metadata (summaries, current details) are all
// encrypted. Search attributes are not payloads of the data converter and stay plaintext.
func (c *Codec) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

// FailureConverter moves each failure's message and stack trace into its encoded
// attributes, so they go through the codec too: error texts are encrypted like payloads.
func (c *Codec) FailureConverter() converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter:          c.DataConverter(),
		EncodeCommonAttributes: true,
	})
}
