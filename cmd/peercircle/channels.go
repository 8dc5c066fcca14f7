package main

import (
	"cmp"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/notify"
	"github.com/peercircle/peercircle/sms"
	"github.com/peercircle/peercircle/web"
	"github.com/peercircle/peercircle/webhook"
	"github.com/peercircle/peercircle/whatsapp"
)

// phoneSender is a channel's sender and, where the provider reports
// delivery, the reader of its receipts.
type phoneSender struct {
	sender   notify.Sender
	receipts web.ReceiptReader
}

// phoneSenders makes the SMS and WhatsApp senders the configuration asks
// for. The demo writes both as files under the data directory unless a
// provider is set, so a person trying it reads what would be sent.
func (c *Config) phoneSenders() (map[string]phoneSender, error) {
	out := map[string]phoneSender{}
	base := strings.TrimRight(c.BaseURL, "/")
	files := func(ch string) phoneSender {
		return phoneSender{sender: &notify.Files{Path: filepath.Join(c.DataDir, "messages", ch)}}
	}
	hook := func() (phoneSender, error) {
		if c.WebhookURL == "" {
			return phoneSender{}, fmt.Errorf("--webhook-url is needed for a webhook provider")
		}
		w := &webhook.Client{URL: c.WebhookURL, Header: c.WebhookHeader, Body: c.WebhookBody, Secret: c.WebhookSecret}
		if err := w.Parse(); err != nil {
			return phoneSender{}, err
		}
		ps := phoneSender{sender: w}
		if c.WebhookSecret != "" {
			ps.receipts = w
		}
		return ps, nil
	}
	smsKind, waKind := c.SMS, c.WhatsApp
	if c.Demo {
		smsKind, waKind = cmp.Or(smsKind, "files"), cmp.Or(waKind, "files")
	}
	switch smsKind {
	case "":
	case "files":
		out[peercircle.ChannelSMS] = files(peercircle.ChannelSMS)
	case "twilio":
		if c.SMSAccount == "" || c.SMSToken == "" || c.SMSFrom == "" {
			return nil, fmt.Errorf("--sms twilio needs --sms-account, --sms-token and --sms-from")
		}
		cl := &sms.Client{BaseURL: c.SMSURL, AccountSID: c.SMSAccount, AuthToken: c.SMSToken, From: c.SMSFrom}
		if base != "" {
			cl.StatusCallback = base + "/hooks/sms"
		}
		out[peercircle.ChannelSMS] = phoneSender{sender: cl, receipts: cl}
	case "webhook":
		ps, err := hook()
		if err != nil {
			return nil, err
		}
		out[peercircle.ChannelSMS] = ps
	default:
		return nil, fmt.Errorf("--sms must be twilio, webhook or files")
	}
	switch waKind {
	case "":
	case "files":
		out[peercircle.ChannelWhatsApp] = files(peercircle.ChannelWhatsApp)
	case "cloud":
		if c.WhatsAppPhone == "" || c.WhatsAppToken == "" {
			return nil, fmt.Errorf("--whatsapp cloud needs --whatsapp-phone-id and --whatsapp-token")
		}
		cl := &whatsapp.Client{BaseURL: c.WhatsAppURL, Version: c.WhatsAppAPI, PhoneNumberID: c.WhatsAppPhone, Token: c.WhatsAppToken,
			AppSecret: c.WhatsAppSecret, VerifyToken: c.WhatsAppVerify, Prefix: c.WhatsAppPrefix}
		ps := phoneSender{sender: cl}
		if c.WhatsAppSecret != "" {
			ps.receipts = cl
		}
		out[peercircle.ChannelWhatsApp] = ps
	case "webhook":
		ps, err := hook()
		if err != nil {
			return nil, err
		}
		out[peercircle.ChannelWhatsApp] = ps
	default:
		return nil, fmt.Errorf("--whatsapp must be cloud, webhook or files")
	}
	return out, nil
}
