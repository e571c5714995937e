package demo

import "boucle/shared/domain"

// The demo plant: eight stations in a flow, each the internal client of
// the one before it.
var stations = []struct{ code, name string }{
	{"CUT1", "Découpe laser"},
	{"PRESS2", "Presse à emboutir"},
	{"WELD3", "Soudure robotisée"},
	{"PAINT4", "Peinture poudre"},
	{"ASSY5", "Assemblage"},
	{"TEST6", "Contrôle final"},
	{"PACK7", "Emballage"},
	{"SHIP8", "Expédition"},
}

// User is a demo account.
type User struct {
	Login   string      `json:"login"`
	Name    string      `json:"name"`
	Role    domain.Role `json:"role"`
	Station string      `json:"station,omitempty"`
}

// Users of every role: an operator per station (two at PRESS2, one of
// whom has left: disabled), three quality engineers, the plant manager and
// the administrator.
var users = []User{
	{"admin", "Administrateur", domain.RoleAdmin, ""},
	{"claire.martin", "Claire Martin", domain.RoleManager, ""},
	{"julien.moreau", "Julien Moreau", domain.RoleEngineer, ""},
	{"sophie.bernard", "Sophie Bernard", domain.RoleEngineer, ""},
	{"karim.haddad", "Karim Haddad", domain.RoleEngineer, ""},
	{"lucas.petit", "Lucas Petit", domain.RoleOperator, "CUT1"},
	{"emma.roux", "Emma Roux", domain.RoleOperator, "PRESS2"},
	{"marc.dubois", "Marc Dubois", domain.RoleOperator, "PRESS2"},
	{"hugo.leroy", "Hugo Leroy", domain.RoleOperator, "WELD3"},
	{"lea.fournier", "Léa Fournier", domain.RoleOperator, "PAINT4"},
	{"nathan.girard", "Nathan Girard", domain.RoleOperator, "ASSY5"},
	{"chloe.bonnet", "Chloé Bonnet", domain.RoleOperator, "TEST6"},
	{"louis.dupuis", "Louis Dupuis", domain.RoleOperator, "PACK7"},
	{"ines.lambert", "Inès Lambert", domain.RoleOperator, "SHIP8"},
}

const (
	manager     = "claire.martin"
	leaver      = "marc.dubois" // disabled after his last complaints
	leaverUntil = 0.4           // files complaints in the first 40% of the history
)

// engineerOf is the quality engineer in charge of a supplier station.
var engineerOf = map[string]string{
	"CUT1": "julien.moreau", "PRESS2": "julien.moreau", "WELD3": "julien.moreau",
	"PAINT4": "sophie.bernard", "ASSY5": "sophie.bernard",
	"TEST6": "karim.haddad", "PACK7": "karim.haddad", "SHIP8": "karim.haddad",
}

// bi is a text in French and in English; a complaint is written in one.
type bi [2]string

// defect is a kind of defect a supplier station sends downstream, with
// what the engineers find and do about it.
type defect struct {
	supplier    string
	weight      int // how often, against the others
	category    string
	part        string
	desc        bi
	containment bi
	whys        [2][]string
	ishikawa    domain.Ishikawa
	root        bi
	options     [2]bi // two solutions to choose from
	corrective  bi
	resolution  bi
}

var defects = []defect{
	{supplier: "CUT1", weight: 14, category: "dimensional", part: "BRK-2041 Support moteur",
		desc:        bi{"Bavures importantes sur le bord intérieur des flans, environ une pièce sur dix. Détecté au chargement de la presse : risque de coupure et de marquage de l'outil.", "Heavy burrs on the inner edge of the blanks, about one part in ten. Found when loading the press: risk of cuts and of marks on the die."},
		containment: bi{"Lot isolé, tri à 100 % et ébavurage manuel au poste CUT1.", "Lot quarantined, 100% sorting and manual deburring at CUT1."},
		whys:        [2][]string{{"Bavures sur le bord intérieur", "Buse de découpe usée", "Changement de buse au-delà de l'intervalle prévu"}, {"Burrs on the inner edge", "Worn cutting nozzle", "Nozzle changed past its interval"}},
		ishikawa:    domain.IshikawaMachine,
		root:        bi{"Buse changée toutes les 120 h au lieu de 80 h : le compteur d'heures n'était pas suivi.", "Nozzle changed every 120 h instead of 80 h: the hour counter was not followed."},
		options:     [2]bi{{"Ébavurer le lot au poste CUT1 avant renvoi", "Deburr the lot at CUT1 before sending it back"}, {"Remplacer le lot par des flans du stock", "Replace the lot with blanks from stock"}},
		corrective:  bi{"Ajouter le compteur de buse à la check-list de poste", "Add the nozzle counter to the station checklist"},
		resolution:  bi{"Lot ébavuré et renvoyé ; compteur de buse ajouté à la check-list de démarrage.", "Lot deburred and returned; nozzle counter added to the start-up checklist."}},
	{supplier: "CUT1", weight: 8, category: "dimensional", part: "PLT-1187 Platine de fixation",
		desc:        bi{"Cote de 42,0 mm mesurée entre 42,5 et 42,7 mm (tolérance ±0,2) sur 15 platines du lot.", "Width measured between 42.5 and 42.7 mm against 42.0 ±0.2 on 15 plates of the lot."},
		containment: bi{"Platines hors tolérance retirées, contrôle au pied à coulisse de chaque lot.", "Out-of-tolerance plates removed; every lot checked with a caliper."},
		whys:        [2][]string{{"Cote hors tolérance", "Décalage d'origine du programme", "Programme modifié sans validation"}, {"Width out of tolerance", "Program origin offset", "Program edited without sign-off"}},
		ishikawa:    domain.IshikawaMethod,
		root:        bi{"Programme de découpe modifié de nuit sans validation du premier article.", "Cutting program edited on the night shift without a first-article check."},
		options:     [2]bi{{"Recouper les platines à la bonne cote", "Recut the plates to size"}, {"Accepter sous dérogation avec reprise au montage", "Accept under concession, adjusted at assembly"}},
		corrective:  bi{"Rendre obligatoire la validation du premier article après toute modification de programme", "Make a first-article check mandatory after any program change"},
		resolution:  bi{"Platines recoupées ; validation du premier article intégrée au processus.", "Plates recut; first-article check built into the process."}},
	{supplier: "PRESS2", weight: 9, category: "surface", part: "CAP-3302 Capot latéral",
		desc:        bi{"Fissures dans le rayon de pliage sur 6 capots, visibles après dégraissage.", "Cracks in the bend radius of 6 covers, visible after degreasing."},
		containment: bi{"Capots fissurés rebutés, contrôle visuel renforcé du rayon.", "Cracked covers scrapped; closer visual check of the bend."},
		whys:        [2][]string{{"Fissures au pliage", "Allongement de la tôle insuffisant", "Nouveau fournisseur de tôle non qualifié"}, {"Cracks at the bend", "Sheet elongation too low", "New sheet supplier not qualified"}},
		ishikawa:    domain.IshikawaMaterial,
		root:        bi{"Bobine d'un nouveau fournisseur avec un allongement de 18 % au lieu de 24 % minimum.", "Coil from a new supplier with 18% elongation against a 24% minimum."},
		options:     [2]bi{{"Remplacer les capots par une série emboutie avec l'ancienne matière", "Replace the covers with a batch pressed from the previous material"}, {"Augmenter le rayon de pliage", "Open up the bend radius"}},
		corrective:  bi{"Bloquer la bobine et exiger le certificat matière à réception", "Block the coil and require the material certificate at reception"},
		resolution:  bi{"Capots remplacés ; certificat matière exigé à chaque réception.", "Covers replaced; material certificate now required at each delivery."}},
	{supplier: "WELD3", weight: 12, category: "surface", part: "CHS-5010 Châssis",
		desc:        bi{"Projections de soudure sur les faces visibles des châssis : la poudre ne les couvre pas.", "Weld spatter on the visible faces of the frames: the powder coat does not hide it."},
		containment: bi{"Meulage des projections au poste WELD3 avant transfert.", "Spatter ground off at WELD3 before transfer."},
		whys:        [2][]string{{"Projections sur faces visibles", "Produit anti-adhérent non appliqué", "Pulvérisateur vide sans alerte"}, {"Spatter on visible faces", "Anti-spatter spray not applied", "Sprayer empty with no alert"}},
		ishikawa:    domain.IshikawaMethod,
		root:        bi{"Le pulvérisateur d'anti-adhérent du robot était vide depuis deux postes.", "The robot's anti-spatter sprayer had been empty for two shifts."},
		options:     [2]bi{{"Meuler et repeindre les châssis touchés", "Grind and recoat the affected frames"}, {"Renvoyer les châssis à WELD3", "Send the frames back to WELD3"}},
		corrective:  bi{"Ajouter un capteur de niveau au pulvérisateur", "Add a level sensor to the sprayer"},
		resolution:  bi{"Châssis reconditionnés ; capteur de niveau installé.", "Frames reworked; level sensor installed."}},
	{supplier: "PAINT4", weight: 11, category: "surface", part: "CAP-3302 Capot latéral",
		desc:        bi{"Coulures de peinture sur les bords des capots, gênantes au montage des joints.", "Paint drips on the cover edges, in the way when fitting the seals."},
		containment: bi{"Tri des capots, ponçage des coulures avant montage.", "Covers sorted; drips sanded before assembly."},
		whys:        [2][]string{{"Coulures sur les bords", "Épaisseur de poudre trop forte", "Réglage du pistolet modifié"}, {"Drips on the edges", "Powder too thick", "Gun setting changed"}},
		ishikawa:    domain.IshikawaMachine,
		root:        bi{"Débit du pistolet 2 augmenté lors d'un changement de teinte et jamais remis.", "Gun 2 flow raised for a colour change and never set back."},
		options:     [2]bi{{"Poncer et retoucher les capots", "Sand and touch up the covers"}, {"Décaper et repeindre", "Strip and recoat"}},
		corrective:  bi{"Verrouiller les réglages du pistolet par recette", "Lock the gun settings in recipes"},
		resolution:  bi{"Capots retouchés ; réglages verrouillés par recette.", "Covers touched up; settings locked in recipes."}},
	{supplier: "PAINT4", weight: 7, category: "contamination", part: "CHS-5010 Châssis",
		desc:        bi{"Inclusions et grains dans la couche de peinture sur une dizaine de châssis.", "Dust inclusions in the coating of about ten frames."},
		containment: bi{"Châssis marqués et mis de côté, nettoyage de la cabine.", "Frames tagged and set aside; booth cleaned."},
		whys:        [2][]string{{"Inclusions dans la peinture", "Poussière dans la cabine", "Filtres colmatés"}, {"Inclusions in the coating", "Dust in the booth", "Clogged filters"}},
		ishikawa:    domain.IshikawaEnvironment,
		root:        bi{"Filtres de la cabine non changés depuis six semaines (plan de maintenance non suivi).", "Booth filters not changed for six weeks (maintenance plan not followed)."},
		options:     [2]bi{{"Repeindre les châssis touchés", "Recoat the affected frames"}, {"Accepter les châssis de face cachée", "Accept frames where the face is hidden"}},
		corrective:  bi{"Changer les filtres et suivre le plan de maintenance en TPM", "Change the filters and follow the maintenance plan in TPM"},
		resolution:  bi{"Filtres changés, maintenance intégrée au TPM hebdomadaire.", "Filters changed; maintenance part of the weekly TPM."}},
	{supplier: "ASSY5", weight: 8, category: "missing_part", part: "ENS-7700 Ensemble moteur",
		desc:        bi{"Deux vis de fixation manquantes sur 3 ensembles moteur, détectées au banc.", "Two fixing screws missing on 3 motor assemblies, found on the test bench."},
		containment: bi{"Contrôle du nombre de vis sur tous les ensembles en stock.", "Screw count checked on every assembly in stock."},
		whys:        [2][]string{{"Vis manquantes", "Comptage manuel", "Pas de détrompeur au poste"}, {"Missing screws", "Manual counting", "No poka-yoke at the station"}},
		ishikawa:    domain.IshikawaManpower,
		root:        bi{"Le comptage des vis repose sur l'opérateur, sans bac doseur ni visseuse à comptage.", "Screw counting relies on the operator, with no kitting tray or counting driver."},
		options:     [2]bi{{"Compléter les ensembles au poste TEST6", "Complete the assemblies at TEST6"}, {"Renvoyer les ensembles à ASSY5", "Send the assemblies back to ASSY5"}},
		corrective:  bi{"Installer une visseuse à comptage de vis", "Install a screw-counting driver"},
		resolution:  bi{"Ensembles complétés ; visseuse à comptage installée.", "Assemblies completed; counting driver installed."}},
	{supplier: "TEST6", weight: 6, category: "labelling", part: "ENS-7700 Ensemble moteur",
		desc:        bi{"Étiquette « testé » absente sur 8 unités reçues à l'emballage.", "\"Tested\" label missing on 8 units received at packing."},
		containment: bi{"Unités remises en test, étiquettes réimprimées.", "Units retested; labels reprinted."},
		whys:        [2][]string{{"Étiquette absente", "Imprimante à court de papier", "Aucune alarme de fin de rouleau"}, {"Label missing", "Printer out of labels", "No end-of-roll alarm"}},
		ishikawa:    domain.IshikawaMachine,
		root:        bi{"L'imprimante d'étiquettes n'alerte pas en fin de rouleau ; le banc continue sans étiquette.", "The label printer gives no end-of-roll alert; the bench carries on without labels."},
		options:     [2]bi{{"Retester et étiqueter les unités", "Retest and label the units"}, {"Étiqueter sur preuve du journal de test", "Label from the test log"}},
		corrective:  bi{"Bloquer le banc quand l'étiquette n'est pas imprimée", "Interlock the bench on a missing label"},
		resolution:  bi{"Unités retestées ; verrouillage du banc sur étiquette.", "Units retested; bench interlocked on the label."}},
	{supplier: "PACK7", weight: 9, category: "handling_damage", part: "COL-9000 Colis ensemble moteur",
		desc:        bi{"Cartons écrasés sur la palette, coins enfoncés sur 5 colis.", "Crushed boxes on the pallet, dented corners on 5 parcels."},
		containment: bi{"Colis reconditionnés, palette refaite.", "Parcels repacked, pallet rebuilt."},
		whys:        [2][]string{{"Cartons écrasés", "Plan de palettisation non respecté", "Plan absent au poste"}, {"Crushed boxes", "Stacking pattern not followed", "No pattern at the station"}},
		ishikawa:    domain.IshikawaMethod,
		root:        bi{"Le plan de palettisation n'était plus affiché depuis le réaménagement du poste.", "The stacking pattern was no longer posted since the station was rearranged."},
		options:     [2]bi{{"Reconditionner les colis abîmés", "Repack the damaged parcels"}, {"Expédier avec réserve au transporteur", "Ship with a note to the carrier"}},
		corrective:  bi{"Afficher le plan de palettisation et former l'équipe", "Post the stacking pattern and train the team"},
		resolution:  bi{"Colis reconditionnés ; plan affiché, équipe formée.", "Parcels repacked; pattern posted, team trained."}},
	{supplier: "PACK7", weight: 5, category: "quantity", part: "COL-9000 Colis ensemble moteur",
		desc:        bi{"Palette de 46 colis au lieu de 48 annoncés sur le bon.", "Pallet holds 46 parcels against 48 on the delivery note."},
		containment: bi{"Recomptage des palettes en attente d'expédition.", "Pallets awaiting shipment recounted."},
		whys:        [2][]string{{"Quantité erronée", "Comptage à vue", "Pas de pesée de contrôle"}, {"Wrong quantity", "Counted by eye", "No check weighing"}},
		ishikawa:    domain.IshikawaMeasurement,
		root:        bi{"Les palettes sont comptées à vue ; la balance de contrôle est en panne depuis un mois.", "Pallets are counted by eye; the check scale has been out of order for a month."},
		options:     [2]bi{{"Compléter la palette", "Complete the pallet"}, {"Corriger le bon de livraison", "Correct the delivery note"}},
		corrective:  bi{"Réparer la balance et peser chaque palette", "Repair the scale and weigh every pallet"},
		resolution:  bi{"Palette complétée ; balance réparée, pesée systématique.", "Pallet completed; scale repaired, every pallet weighed."}},
}

// Words people write along the way, in French and English.
var (
	ackNote      = bi{"Réclamation prise en compte, analyse en cours.", "Complaint taken in hand; analysis under way."}
	engMessages  = []bi{{"Lot isolé côté fournisseur, nous revenons vers vous sous 48 h.", "Lot isolated at the supplier station; we will be back to you within 48 h."}, {"Tri terminé : 12 pièces non conformes retirées.", "Sorting done: 12 non-conforming parts removed."}, {"Pièces de remplacement en cours de fabrication.", "Replacement parts being made."}}
	internal     = []bi{{"Relancé le chef d'équipe du poste fournisseur.", "Chased the supplier station's team leader."}, {"Même cause que le mois dernier : à suivre en plan préventif.", "Same cause as last month: to follow up in a preventive plan."}, {"Coût de non-qualité estimé à 1 200 €.", "Cost of poor quality estimated at €1,200."}}
	opMessages   = []bi{{"Lot de remplacement reçu, conforme.", "Replacement lot received, conforming."}, {"Merci pour la réactivité.", "Thanks for the quick answer."}, {"La ligne est arrêtée en attendant, merci d'accélérer.", "The line is stopped meanwhile, please hurry."}}
	rejectWhy    = bi{"Dommage dû à la manutention à réception, pas au poste fournisseur.", "Damage caused by handling at reception, not by the supplier station."}
	reexamineWhy = bi{"Photos à l'appui : le défaut était présent avant déballage.", "Photos attached: the defect was there before unpacking."}
	withdrawWhy  = bi{"Pièces remesurées : conformes, le gabarit de contrôle était faux.", "Parts re-measured: conforming, the inspection gauge was wrong."}
	reopenWhy    = bi{"Le défaut est réapparu sur le lot suivant.", "The defect is back on the next lot."}
	escalateWhy  = bi{"Délai dépassé sans nouvelles, la production est impactée.", "Deadline passed without news; production is affected."}
	rescheduleBy = bi{"Attente de pièces de rechange pour la machine.", "Waiting for spare parts for the machine."}
	verifyNotes  = []bi{{"Parfait, merci.", "Perfect, thanks."}, {"Résolu, délai un peu long.", "Solved, took a while."}, {"OK mais il a fallu relancer.", "OK, but we had to chase it."}}
	remedies     = []domain.Remedy{domain.RemedyRework, domain.RemedyReplacement, domain.RemedySorting, domain.RemedyCredit}
)
