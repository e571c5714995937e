package analytics_test

import (
	"fmt"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

func ExampleIndex_Similar() {
	ix := analytics.NewIndex(analytics.IndexOptions{})
	ix.Add(&domain.Complaint{ID: "c1", Number: "PEINT-2026-0001", SupplierStation: "PRESSE",
		Description: "Rayures profondes sur le carter", FiledAt: at("2026-01-05 08:00")})
	ix.Add(&domain.Complaint{ID: "c2", Number: "PEINT-2026-0002", SupplierStation: "PRESSE",
		Description: "Étiquette illisible", FiledAt: at("2026-01-06 08:00")})
	// Every term is in one complaint of two: idf = ln(3/2) + 1 for all, so
	// the cosine of {rayur, cart} and {rayur, profond, cart} is 2/(√2·√3).
	for _, m := range ix.Similar("une rayure sur le carter", "PRESSE", 3) {
		fmt.Printf("%s %.4f %v\n", m.Number, m.Score, m.Shared)
	}
	// Output: PEINT-2026-0001 0.8165 [carter rayures]
}

func ExampleDataset_Indicators() {
	ds := analytics.NewDataset(analytics.Input{Complaints: []domain.Complaint{
		{ID: "c1", SupplierStation: "PRESSE", FilingStation: "PEINT", Category: "surface", PartRef: "BRK-2041",
			Description: "Rayures profondes sur le carter", Status: domain.StatusAcknowledged,
			FiledAt: at("2026-01-05 08:00"), AcknowledgedAt: at("2026-01-05 10:00")},
		{ID: "c2", SupplierStation: "PRESSE", FilingStation: "PEINT", Category: "surface", PartRef: "brk2041 ",
			Description: "Deep scratches on the housing", Status: domain.StatusNew, FiledAt: at("2026-01-20 08:00")},
	}})
	f := analytics.Filter{From: at("2026-01-01 00:00"), To: at("2026-02-01 00:00")}
	r := ds.Indicators(f, analytics.DefaultSettings(), at("2026-02-01 00:00"))
	fmt.Println("filed:", r.Filed)
	fmt.Printf("recurrence: %d/%d\n", r.Recurrence.Num, r.Recurrence.Den)
	fmt.Println("median time to acknowledge:", r.TimeToAcknowledge.Median)
	// Output:
	// filed: 2
	// recurrence: 1/2
	// median time to acknowledge: 2h0m0s
}
