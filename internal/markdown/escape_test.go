package markdown

import "testing"

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"ok\r# Injected heading":              `ok \# Injected heading`,
		"**ESCALATED: no ES progress**":       `\*\*ESCALATED: no ES progress\*\*`,
		"a | b":                               `a \| b`,
		"<script>alert(1)</script>":           `&lt;script&gt;alert(1)&lt;/script&gt;`,
		"[click](http://evil.example)":        `\[click\](http://evil.example)`,
		"Tom & Jerry \"quoted\"":              `Tom &amp; Jerry &quot;quoted&quot;`,
		"line\none\x00":                       `line one`,
		"Form stops at the insurance page":    `Form stops at the insurance page`,
		"`code` _under_ ~~strike~~ !\\":       "\\`code\\` \\_under\\_ \\~\\~strike\\~\\~ !\\\\",
		"- item\n+ item\n1. item\n> quote":    `\- item + item 1. item &gt; quote`,
		"1. first":                            `1\. first`,
		"  12) twelfth":                       `  12\) twelfth`,
		"+ plus":                              `\+ plus`,
		"10-10EZ submission at vets.gov (ES)": `10-10EZ submission at vets.gov (ES)`,
		"![img](x)":                           `!\[img\](x)`,
		"summary with émoji ✓ and 日本語 text":   "summary with émoji ✓ and 日本語 text",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}
