package demo

import (
	"context"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// seedMessageChoices gives demo people each way of hearing from the
// programme (guidance 001 asks each member how they want to hear): two
// members of the Nuzha group by WhatsApp (quiet at night) and by text
// message (their rota turns by WhatsApp), the organiser by e-mail with her
// paperwork in the app only; the demo logins keep e-mail. The
// demo writes what it would send under <data-dir>/mail and
// <data-dir>/messages, so a person trying it can read the messages.
func seedMessageChoices(ctx context.Context, s *sqlstore.Store, w *World) error {
	type choice struct {
		p                                  *peercircle.Person
		phone, channel, quietFrom, quietTo string
		topics                             map[string]string
	}
	var choices []choice
	if nuzha := w.Members["nuzha"]; len(nuzha) >= 2 {
		choices = append(choices,
			choice{nuzha[0], "+962 79 555 0101", peercircle.ChannelWhatsApp, "22:00", "07:00", nil},
			choice{nuzha[1], "+962 77 555 0102", peercircle.ChannelSMS, "", "", map[string]string{"rota": peercircle.ChannelWhatsApp}})
	}
	if org, ok := w.People["organiser"]; ok {
		choices = append(choices, choice{org, "", peercircle.ChannelEmail, "", "", map[string]string{"paperwork": peercircle.ChannelInApp}})
	}
	for _, c := range choices {
		if err := s.SaveMessageSettings(ctx, &peercircle.MessageSettings{PersonID: c.p.ID, Phone: c.phone, QuietStart: c.quietFrom, QuietEnd: c.quietTo}); err != nil {
			return err
		}
		if err := s.SetNotifyPref(ctx, c.p.ID, "*", c.channel); err != nil {
			return err
		}
		for topic, ch := range c.topics {
			if err := s.SetNotifyPref(ctx, c.p.ID, peercircle.TopicPref(topic), ch); err != nil {
				return err
			}
		}
	}
	return nil
}
