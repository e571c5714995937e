package labelled

import "boucle/shared/domain"

// The plant: the eight stations of the demo, in the order parts flow. A
// complaint is filed by a station downstream of its supplier.
var stations = []string{"CUT1", "PRESS2", "WELD3", "PAINT4", "ASSY5", "TEST6", "PACK7", "SHIP8"}

// part is a part reference as the plant's drawings write it, with its
// designation, which operators sometimes type after the reference.
type part struct {
	ref    string
	fr, en string
}

// partsOf lists the parts each supplier station delivers downstream.
var partsOf = map[string][]part{
	"CUT1":   {{"BRK-2041", "Support moteur", "motor bracket"}, {"PLT-1187", "Platine de fixation", "mounting plate"}, {"FLN-0612", "Flan de capot", "cover blank"}, {"GSS-3310", "Gousset", "gusset"}},
	"PRESS2": {{"CAP-3302", "Capot latéral", "side cover"}, {"BRK-2041", "Support moteur", "motor bracket"}, {"EQR-4470", "Équerre", "angle bracket"}, {"BAC-0915", "Bac de récupération", "drip tray"}},
	"WELD3":  {{"CHS-5010", "Châssis", "frame"}, {"SUP-5120", "Support soudé", "welded support"}, {"TRV-5200", "Traverse", "cross member"}},
	"PAINT4": {{"CAP-3302", "Capot latéral", "side cover"}, {"CHS-5010", "Châssis", "frame"}, {"TRV-5200", "Traverse", "cross member"}, {"CAR-6100", "Carter", "housing"}},
	"ASSY5":  {{"ENS-7700", "Ensemble moteur", "motor assembly"}, {"ENS-7710", "Ensemble ventilateur", "fan assembly"}, {"FSC-7020", "Faisceau", "harness"}},
	"TEST6":  {{"ENS-7700", "Ensemble moteur", "motor assembly"}, {"ENS-7710", "Ensemble ventilateur", "fan assembly"}},
	"PACK7":  {{"COL-9000", "Colis ensemble moteur", "motor assembly parcel"}, {"COL-9010", "Colis ventilateur", "fan parcel"}},
}

// mode is a failure mode: what goes wrong, as operators describe it in
// either language, and the causes engineers find behind it. A problem is
// one mode of one supplier station with one cause: on one part when the
// cause is the part's own (its program, tool, fixture), on all the parts
// of the station otherwise.
type mode struct {
	code     string
	category string
	station  string
	fr, en   []string // the symptom, several ways of saying it
	causes   []cause
}

type cause struct {
	ishikawa domain.Ishikawa
	// fr, en are the root cause as the engineer writes it. A cause that
	// names a part's program, tool, routing or fixture (%s: the part) is
	// one problem per part; the others (a machine, a bath, a scale) are one
	// problem on every part of the station.
	fr, en string
	whys   []string // the chain of whys, in the language of the plant (French)
}

var modes = []mode{
	// CUT1, laser cutting
	{code: "burrs", category: "dimensional", station: "CUT1",
		fr: []string{"bavures sur le bord intérieur", "bavures coupantes en sortie de découpe", "arêtes non ébavurées", "grosses bavures côté intérieur du flan"},
		en: []string{"burrs on the inner edge", "sharp burrs after cutting", "edges not deburred", "heavy burr inside the blank"},
		causes: []cause{
			{domain.IshikawaMachine, "Buse de découpe usée, changée au-delà de son intervalle.", "Worn cutting nozzle, changed past its interval.", []string{"Bavures", "Buse usée", "Compteur d'heures non suivi"}},
			{domain.IshikawaMethod, "Pression de gaz d'assistance du programme %s réduite sans validation.", "Assist gas pressure of the %s program lowered without sign-off.", []string{"Bavures", "Gaz d'assistance trop faible", "Réglage modifié sans validation"}}}},
	{code: "hole_offset", category: "dimensional", station: "CUT1",
		fr: []string{"perçage décalé par rapport au plan", "trous de fixation mal positionnés", "entraxe des trous faux", "trou décalé de 2 mm"},
		en: []string{"holes drilled off position", "mounting holes misplaced", "wrong hole spacing", "hole offset by 2 mm"},
		causes: []cause{
			{domain.IshikawaMethod, "Programme de découpe %s modifié sans validation du premier article.", "Cutting program %s edited without a first-article check.", []string{"Trous décalés", "Origine programme décalée", "Pas de validation premier article"}},
			{domain.IshikawaMachine, "Bridage de la tôle desserré sur la table 2.", "Sheet clamp loose on table 2.", []string{"Trous décalés", "Tôle qui bouge", "Bridage usé"}}}},
	{code: "width", category: "dimensional", station: "CUT1",
		fr: []string{"cote de largeur hors tolérance", "largeur trop grande de 0,5 mm", "dimension hors tolérance au pied à coulisse", "pièces trop larges"},
		en: []string{"width out of tolerance", "width 0.5 mm too large", "dimension out of tolerance at the caliper", "parts too wide"},
		causes: []cause{
			{domain.IshikawaMeasurement, "Compensation de faisceau mal étalonnée après maintenance.", "Kerf compensation miscalibrated after maintenance.", []string{"Largeur hors tolérance", "Compensation faisceau fausse", "Étalonnage non refait"}}}},
	{code: "burnt_edge", category: "surface", station: "CUT1",
		fr: []string{"bords brûlés et oxydés", "chants noircis par la découpe", "oxydation sur les bords coupés", "traces de brûlure sur le chant"},
		en: []string{"burnt oxidised edges", "edges blackened by cutting", "oxidation on the cut edges", "burn marks on the edge"},
		causes: []cause{
			{domain.IshikawaMaterial, "Azote de découpe contaminé par de l'oxygène (bouteille non conforme).", "Cutting nitrogen contaminated with oxygen (bad cylinder).", []string{"Bords oxydés", "Gaz impur", "Bouteille non contrôlée"}}}},
	{code: "table_scratch", category: "surface", station: "CUT1",
		fr: []string{"rayures sur la face visible", "rayures longues sur la tôle", "face rayée au déchargement", "éraflures sur le dessus"},
		en: []string{"scratches on the visible face", "long scratches on the sheet", "face scratched at unloading", "scuffs on the top side"},
		causes: []cause{
			{domain.IshikawaMachine, "Lattes de la table de découpe usées, scories qui rayent la tôle.", "Worn slats on the cutting table; slag scratches the sheet.", []string{"Rayures", "Scories sur les lattes", "Lattes non changées"}}}},
	{code: "missing_tag", category: "labelling", station: "CUT1",
		fr: []string{"fiche suiveuse absente", "lot sans fiche suiveuse", "pas d'étiquette de lot sur la palette", "fiche de lot manquante"},
		en: []string{"travel tag missing", "lot without its travel tag", "no lot label on the pallet", "lot tag missing"},
		causes: []cause{
			{domain.IshikawaManpower, "Impression des fiches oubliée en fin de poste, pas de contrôle.", "Tags not printed at the end of the shift, nothing checks it.", []string{"Fiche absente", "Impression oubliée", "Pas de contrôle en fin de poste"}}}},

	{code: "microjoints", category: "dimensional", station: "CUT1",
		fr: []string{"micro-attaches non coupées", "pièces encore tenues dans le squelette", "contour pas découpé jusqu'au bout", "pièces à détacher à la main"},
		en: []string{"micro-joints left uncut", "parts still held in the skeleton", "outline not cut through", "parts to break out by hand"},
		causes: []cause{
			{domain.IshikawaMethod, "Micro-attaches trop larges dans le programme %s.", "Micro-joints too wide in the %s program.", []string{"Pièces tenues", "Attaches trop larges", "Programme non revu"}}}},
	{code: "thickness", category: "dimensional", station: "CUT1",
		fr: []string{"épaisseur de tôle non conforme", "tôle de 2 mm au lieu de 1,5 mm", "mauvaise épaisseur de matière", "pièces trop épaisses"},
		en: []string{"wrong sheet thickness", "2 mm sheet instead of 1.5 mm", "wrong material gauge", "parts too thick"},
		causes: []cause{
			{domain.IshikawaMaterial, "Tôles de deux épaisseurs rangées dans le même casier.", "Sheets of two gauges stored in the same rack.", []string{"Mauvaise épaisseur", "Casier mélangé", "Pas de repérage"}}}},

	// PRESS2, stamping and bending
	{code: "bend_crack", category: "surface", station: "PRESS2",
		fr: []string{"fissures dans le rayon de pliage", "criques au pli", "pièces fendues au pliage", "amorces de rupture dans le rayon"},
		en: []string{"cracks in the bend radius", "cracks at the bend", "parts split at the fold", "crack starting in the radius"},
		causes: []cause{
			{domain.IshikawaMaterial, "Bobine d'un nouveau fournisseur avec un allongement trop faible.", "Coil from a new supplier with too little elongation.", []string{"Fissures", "Allongement trop faible", "Fournisseur non qualifié"}},
			{domain.IshikawaMachine, "Rayon du poinçon de l'outil %s ébréché.", "Chipped punch radius on the %s tool.", []string{"Fissures", "Poinçon abîmé", "Pas d'inspection outil"}}}},
	{code: "bend_angle", category: "dimensional", station: "PRESS2",
		fr: []string{"angle de pliage hors tolérance", "pliage à 92° au lieu de 90°", "angle ouvert, la pièce ne rentre pas", "équerrage faux"},
		en: []string{"bend angle out of tolerance", "bent at 92° instead of 90°", "angle too open, the part does not fit", "not square"},
		causes: []cause{
			{domain.IshikawaMethod, "Retour élastique non compensé sur la gamme %s après changement d'épaisseur.", "Springback not compensated in the %s routing after a thickness change.", []string{"Angle faux", "Retour élastique", "Réglage non adapté"}}}},
	{code: "die_marks", category: "surface", station: "PRESS2",
		fr: []string{"marques d'outil sur la face visible", "empreintes de matrice", "traces de poinçon en surface", "marquage de l'outil sur les pièces"},
		en: []string{"die marks on the visible face", "die imprints", "punch marks on the surface", "tool marks on the parts"},
		causes: []cause{
			{domain.IshikawaMachine, "Copeaux coincés dans la matrice %s, nettoyage non fait.", "Chips stuck in the %s die; cleaning skipped.", []string{"Marques", "Copeaux dans la matrice", "Nettoyage non planifié"}}}},
	{code: "flatness", category: "dimensional", station: "PRESS2",
		fr: []string{"planéité hors tolérance", "pièces voilées", "défaut de planéité de 1 mm", "pièce gondolée"},
		en: []string{"flatness out of tolerance", "warped parts", "1 mm out of flat", "part buckled"},
		causes: []cause{
			{domain.IshikawaMethod, "Ordre des frappes inversé sur la gamme %s.", "Operation order swapped in the %s routing.", []string{"Voilage", "Ordre des frappes", "Gamme non suivie"}}}},
	{code: "oil", category: "contamination", station: "PRESS2",
		fr: []string{"huile d'emboutissage sur les pièces", "pièces grasses", "film d'huile qui gêne la soudure", "traces de graisse"},
		en: []string{"stamping oil on the parts", "oily parts", "oil film spoiling the weld", "grease marks"},
		causes: []cause{
			{domain.IshikawaMachine, "Dégraisseur en panne depuis trois jours.", "Degreaser broken down for three days.", []string{"Huile", "Dégraissage absent", "Panne non signalée"}}}},
	{code: "trim_burr", category: "dimensional", station: "PRESS2",
		fr: []string{"bavures de détourage", "bavure sur le contour découpé", "arête vive après détourage", "bavures au découpage"},
		en: []string{"trim burrs", "burr along the trimmed outline", "sharp edge after trimming", "burrs from blanking"},
		causes: []cause{
			{domain.IshikawaMachine, "Jeu de coupe de l'outil de détourage %s trop grand (usure).", "Clearance of the %s trim die too wide (wear).", []string{"Bavures", "Jeu de coupe", "Affûtage en retard"}}}},

	{code: "missing_pierce", category: "dimensional", station: "PRESS2",
		fr: []string{"trou de poinçonnage manquant", "un trou non percé", "perçage absent sur la pièce", "poinçonnage oublié"},
		en: []string{"pierced hole missing", "one hole not punched", "hole absent on the part", "piercing skipped"},
		causes: []cause{
			{domain.IshikawaMachine, "Poinçon cassé dans l'outil %s, non détecté.", "Broken punch in the %s tool, not detected.", []string{"Trou manquant", "Poinçon cassé", "Pas de capteur de casse"}}}},

	// WELD3, robot welding
	{code: "spatter", category: "surface", station: "WELD3",
		fr: []string{"projections de soudure sur les faces visibles", "grains de soudure collés", "projections que la peinture ne couvre pas", "billes de soudure"},
		en: []string{"weld spatter on visible faces", "weld beads stuck on the surface", "spatter the paint does not hide", "spatter balls"},
		causes: []cause{
			{domain.IshikawaMethod, "Pulvérisateur d'anti-adhérent vide sans alerte.", "Anti-spatter sprayer empty with no alert.", []string{"Projections", "Anti-adhérent absent", "Pas d'alarme de niveau"}},
			{domain.IshikawaMachine, "Tension de soudage du programme %s trop haute après changement de fil.", "Welding voltage of the %s program too high after a wire change.", []string{"Projections", "Paramètres faux", "Changement de fil"}}}},
	{code: "missing_weld", category: "functional", station: "WELD3",
		fr: []string{"cordon de soudure manquant", "soudure absente sur un point", "point de soudure oublié", "soudure incomplète"},
		en: []string{"weld seam missing", "weld missing at one point", "spot weld skipped", "incomplete weld"},
		causes: []cause{
			{domain.IshikawaMethod, "Programme robot %s écrasé par une ancienne version.", "Robot program %s overwritten by an old version.", []string{"Soudure manquante", "Mauvaise version du programme", "Pas de gestion de version"}}}},
	{code: "porosity", category: "functional", station: "WELD3",
		fr: []string{"porosités dans le cordon", "soufflures dans la soudure", "trous dans le cordon", "soudure poreuse"},
		en: []string{"porosity in the seam", "blowholes in the weld", "holes in the weld seam", "porous weld"},
		causes: []cause{
			{domain.IshikawaEnvironment, "Courant d'air de la porte ouverte qui chasse le gaz de protection.", "Draught from the open door blowing the shielding gas away.", []string{"Porosités", "Gaz chassé", "Porte ouverte"}},
			{domain.IshikawaMaterial, "Fil de soudure humide, stocké hors armoire.", "Damp welding wire stored outside the cabinet.", []string{"Porosités", "Fil humide", "Stockage non respecté"}}}},
	{code: "distortion", category: "dimensional", station: "WELD3",
		fr: []string{"déformation après soudure", "pièce vrillée par la chaleur", "cadre déformé hors gabarit", "gauchissement après soudage"},
		en: []string{"distortion after welding", "part twisted by the heat", "frame out of the gauge", "warping after welding"},
		causes: []cause{
			{domain.IshikawaMethod, "Séquence de soudage %s changée, bridage retiré trop tôt.", "Welding sequence of %s changed, clamps released too early.", []string{"Déformation", "Séquence modifiée", "Bridage retiré tôt"}}}},
	{code: "bracket_position", category: "dimensional", station: "WELD3",
		fr: []string{"patte soudée mal positionnée", "support soudé décalé", "patte de fixation à la mauvaise cote", "position de la patte fausse"},
		en: []string{"welded tab in the wrong place", "welded bracket offset", "mounting tab at the wrong dimension", "tab position wrong"},
		causes: []cause{
			{domain.IshikawaMachine, "Pion de centrage du gabarit %s usé.", "Worn locating pin on the %s fixture.", []string{"Patte décalée", "Pion usé", "Gabarit non vérifié"}}}},
	{code: "slag", category: "contamination", station: "WELD3",
		fr: []string{"calamine sur les cordons", "laitier non retiré", "résidus de soudure", "scories sur la pièce"},
		en: []string{"scale on the welds", "slag not removed", "weld residue", "slag left on the part"},
		causes: []cause{
			{domain.IshikawaManpower, "Brossage des cordons sauté par manque de temps.", "Weld brushing skipped for lack of time.", []string{"Calamine", "Brossage sauté", "Cadence trop haute"}}}},

	{code: "weld_crack", category: "functional", station: "WELD3",
		fr: []string{"fissure dans le cordon", "cordon fissuré au refroidissement", "criques en bout de soudure", "soudure fendue"},
		en: []string{"crack in the weld seam", "seam cracked on cooling", "crater cracks at the weld end", "split weld"},
		causes: []cause{
			{domain.IshikawaMethod, "Fin de cordon sans remplissage de cratère dans le programme %s.", "No crater fill at the seam end in the %s program.", []string{"Fissure", "Cratère non rempli", "Programme incomplet"}}}},

	// PAINT4, powder coating
	{code: "runs", category: "surface", station: "PAINT4",
		fr: []string{"coulures de peinture sur les bords", "surépaisseur de peinture", "coulures gênantes au montage", "peinture qui a coulé"},
		en: []string{"paint runs on the edges", "paint too thick", "drips in the way at assembly", "paint has run"},
		causes: []cause{
			{domain.IshikawaMachine, "Débit du pistolet 2 augmenté et jamais remis.", "Gun 2 flow raised and never set back.", []string{"Coulures", "Poudre trop épaisse", "Réglage non verrouillé"}}}},
	{code: "inclusions", category: "contamination", station: "PAINT4",
		fr: []string{"inclusions et grains dans la peinture", "poussières dans la couche", "grains sous la peinture", "peinture piquée de poussière"},
		en: []string{"dust inclusions in the coating", "dust in the paint layer", "grit under the paint", "paint speckled with dust"},
		causes: []cause{
			{domain.IshikawaEnvironment, "Filtres de la cabine colmatés, maintenance non suivie.", "Booth filters clogged, maintenance not followed.", []string{"Grains", "Poussière en cabine", "Filtres non changés"}}}},
	{code: "thin_coat", category: "surface", station: "PAINT4",
		fr: []string{"manque de peinture dans les angles", "zones non couvertes", "épaisseur insuffisante", "tôle visible sous la peinture"},
		en: []string{"no paint in the corners", "uncovered areas", "coating too thin", "bare metal showing through"},
		causes: []cause{
			{domain.IshikawaMachine, "Mise à la terre des crochets encrassée.", "Hook earthing fouled.", []string{"Manque de peinture", "Mauvaise mise à la terre", "Crochets non décapés"}}}},
	{code: "shade", category: "surface", station: "PAINT4",
		fr: []string{"teinte différente du standard", "couleur non conforme", "écart de teinte entre pièces", "mauvaise nuance de gris"},
		en: []string{"shade differs from the standard", "wrong colour", "colour mismatch between parts", "wrong shade of grey"},
		causes: []cause{
			{domain.IshikawaMaterial, "Lot de poudre d'un autre fabricant non validé.", "Powder lot from another maker, not approved.", []string{"Teinte", "Poudre changée", "Pas de validation couleur"}}}},
	{code: "flaking", category: "surface", station: "PAINT4",
		fr: []string{"peinture qui s'écaille", "écaillage au quadrillage", "mauvaise adhérence de la peinture", "la peinture part au montage"},
		en: []string{"paint flaking off", "flaking at the cross-cut test", "poor paint adhesion", "paint comes off at assembly"},
		causes: []cause{
			{domain.IshikawaMethod, "Bain de prétraitement hors concentration.", "Pretreatment bath out of concentration.", []string{"Écaillage", "Prétraitement faible", "Titrage non fait"}}}},
	{code: "paint_handling", category: "handling_damage", station: "PAINT4",
		fr: []string{"rayures de manutention après peinture", "pièces peintes rayées au décrochage", "chocs sur la peinture", "pièces entrechoquées après cuisson"},
		en: []string{"handling scratches after painting", "painted parts scratched when unhooked", "knocks in the paint", "parts knocked together after curing"},
		causes: []cause{
			{domain.IshikawaMethod, "Pièces empilées sans intercalaire en sortie de four.", "Parts stacked without separators at the oven exit.", []string{"Rayures", "Empilage direct", "Intercalaires manquants"}}}},

	{code: "masking", category: "surface", station: "PAINT4",
		fr: []string{"taraudages peints", "peinture dans les filetages", "masquage oublié", "alésages peints, vis impossibles à monter"},
		en: []string{"threads painted", "paint in the threaded holes", "masking forgotten", "bores painted, screws will not go in"},
		causes: []cause{
			{domain.IshikawaMethod, "Bouchons de masquage de la %s absents de la fiche de poste.", "Masking plugs for %s missing from the work card.", []string{"Taraudages peints", "Masquage oublié", "Fiche incomplète"}}}},
	{code: "hook_marks", category: "surface", station: "PAINT4",
		fr: []string{"traces de crochets sur face visible", "zone non peinte au point d'accroche", "marque d'accrochage visible", "accroche sur la mauvaise face"},
		en: []string{"hook marks on the visible face", "unpainted spot where it hung", "hanging mark showing", "hung by the wrong face"},
		causes: []cause{
			{domain.IshikawaMethod, "Point d'accroche de la %s non défini, chacun accroche à sa façon.", "Hanging point for %s not defined, everyone hangs it their own way.", []string{"Traces", "Accroche libre", "Pas de standard"}}}},

	{code: "orange_peel", category: "surface", station: "PAINT4",
		fr: []string{"aspect peau d'orange", "surface granuleuse", "peinture pas tendue", "aspect irrégulier de la peinture"},
		en: []string{"orange peel finish", "grainy surface", "paint not flowed out", "uneven paint finish"},
		causes: []cause{
			{domain.IshikawaEnvironment, "Four de cuisson 15 °C en dessous de la consigne (sonde défaillante).", "Curing oven 15 °C below its set point (faulty probe).", []string{"Peau d'orange", "Cuisson trop froide", "Sonde défaillante"}}}},

	// ASSY5, assembly
	{code: "missing_screws", category: "missing_part", station: "ASSY5",
		fr: []string{"vis de fixation manquantes", "il manque deux vis", "vis absentes sur le couvercle", "ensemble monté sans toutes ses vis"},
		en: []string{"fixing screws missing", "two screws missing", "screws absent on the cover", "assembly built without all its screws"},
		causes: []cause{
			{domain.IshikawaManpower, "Vis de la %s comptées à la main, sans bac doseur.", "Screws for %s counted by hand, no kitting tray.", []string{"Vis manquantes", "Comptage manuel", "Pas de détrompeur"}}}},
	{code: "wrong_screws", category: "missing_part", station: "ASSY5",
		fr: []string{"vis trop longues montées", "mauvaise référence de vis", "vis M6 au lieu de M5", "vis non conformes à la nomenclature"},
		en: []string{"screws too long fitted", "wrong screw reference", "M6 screws instead of M5", "screws not as per the bill of materials"},
		causes: []cause{
			{domain.IshikawaMaterial, "Bacs de vis de la %s intervertis au réapprovisionnement.", "Screw bins for %s swapped at replenishment.", []string{"Mauvaises vis", "Bacs intervertis", "Bacs non étiquetés"}}}},
	{code: "connector", category: "functional", station: "ASSY5",
		fr: []string{"connecteur mal clipsé", "connecteur débranché au test", "prise pas enfoncée", "connecteur non verrouillé"},
		en: []string{"connector not clipped", "connector came off at test", "plug not pushed home", "connector not latched"},
		causes: []cause{
			{domain.IshikawaMethod, "Aucun contrôle de verrouillage (clic) dans la gamme %s.", "No latch check (click) in the %s work instruction.", []string{"Connecteur mal clipsé", "Pas de contrôle", "Gamme incomplète"}}}},
	{code: "torque", category: "functional", station: "ASSY5",
		fr: []string{"couple de serrage insuffisant", "vis desserrées", "serrage trop faible", "boulons pas serrés au couple"},
		en: []string{"tightening torque too low", "loose screws", "under-tightened", "bolts not torqued"},
		causes: []cause{
			{domain.IshikawaMeasurement, "Visseuse du poste %s hors étalonnage depuis deux mois.", "Driver of the %s line out of calibration for two months.", []string{"Couple faible", "Visseuse déréglée", "Étalonnage en retard"}}}},
	{code: "seal", category: "missing_part", station: "ASSY5",
		fr: []string{"joint pincé ou manquant", "joint d'étanchéité absent", "joint mal placé", "joint coupé au montage"},
		en: []string{"seal pinched or missing", "gasket missing", "seal out of its groove", "seal cut at assembly"},
		causes: []cause{
			{domain.IshikawaMethod, "Joint posé après le couvercle dans la nouvelle gamme %s.", "Seal fitted after the cover in the new %s instruction.", []string{"Joint absent", "Ordre de montage", "Gamme modifiée"}}}},
	{code: "harness_pinched", category: "functional", station: "ASSY5",
		fr: []string{"faisceau pincé sous le carter", "fils écrasés", "gaine du faisceau coupée", "câble coincé au montage"},
		en: []string{"harness pinched under the housing", "crushed wires", "harness sleeve cut", "cable trapped at assembly"},
		causes: []cause{
			{domain.IshikawaMethod, "Cheminement du faisceau non défini sur la %s, pas de clip de maintien.", "Harness routing not defined on %s, no retaining clip.", []string{"Faisceau pincé", "Cheminement libre", "Clip absent"}}}},

	{code: "upside_down", category: "missing_part", station: "ASSY5",
		fr: []string{"pièce montée à l'envers", "support monté dans le mauvais sens", "orientation inversée au montage", "sous-ensemble retourné"},
		en: []string{"part fitted upside down", "bracket fitted the wrong way round", "orientation reversed at assembly", "sub-assembly flipped"},
		causes: []cause{
			{domain.IshikawaMethod, "Pas de détrompeur sur le gabarit de montage de la %s.", "No foolproofing on the %s assembly fixture.", []string{"Montage inversé", "Pièce symétrique", "Pas de détrompeur"}}}},

	// TEST6, final test
	{code: "test_label", category: "labelling", station: "TEST6",
		fr: []string{"étiquette testé absente", "pas d'étiquette de test", "unités sans étiquette de contrôle", "étiquette de validation manquante"},
		en: []string{"tested label missing", "no test label", "units without the inspection label", "pass label missing"},
		causes: []cause{
			{domain.IshikawaMachine, "Imprimante sans alarme de fin de rouleau.", "Label printer with no end-of-roll alarm.", []string{"Étiquette absente", "Rouleau vide", "Pas d'alarme"}}}},
	{code: "serial", category: "labelling", station: "TEST6",
		fr: []string{"numéro de série différent du PV de test", "PV de test d'une autre unité", "série inversée entre deux unités", "rapport de test ne correspond pas"},
		en: []string{"serial number differs from the test report", "test report of another unit", "serials swapped between two units", "test report does not match"},
		causes: []cause{
			{domain.IshikawaMethod, "Deux unités testées en parallèle, PV imprimés en lot.", "Two units tested side by side, reports printed in a batch.", []string{"PV inversés", "Impression groupée", "Pas de scan"}}}},
	{code: "leak_passed", category: "functional", station: "TEST6",
		fr: []string{"fuite non détectée au test", "unité qui fuit passée bonne", "fuite d'huile sur unité validée", "test étanchéité passé à tort"},
		en: []string{"leak not caught at test", "leaking unit passed", "oil leak on an approved unit", "leak test wrongly passed"},
		causes: []cause{
			{domain.IshikawaMeasurement, "Seuil du programme d'étanchéité %s élargi après une fausse alarme.", "Leak test threshold for %s widened after a false alarm.", []string{"Fuite passée", "Seuil trop large", "Modification non validée"}}}},

	{code: "fixture_scratch", category: "handling_damage", station: "TEST6",
		fr: []string{"rayures faites par le banc de test", "marques du montage de test", "carter rayé au bridage du banc", "traces de pinces de test"},
		en: []string{"scratches from the test bench", "marks from the test fixture", "housing scratched by the bench clamp", "test clamp marks"},
		causes: []cause{
			{domain.IshikawaMachine, "Patins du bridage de test %s usés jusqu'au métal.", "Pads of the %s test clamp worn down to the metal.", []string{"Rayures", "Patins usés", "Pas de remplacement planifié"}}}},

	// PACK7, packing
	{code: "crushed", category: "handling_damage", station: "PACK7",
		fr: []string{"cartons écrasés sur la palette", "coins de colis enfoncés", "colis abîmés", "cartons effondrés"},
		en: []string{"crushed boxes on the pallet", "dented parcel corners", "damaged parcels", "collapsed boxes"},
		causes: []cause{
			{domain.IshikawaMethod, "Plan de palettisation des %s plus affiché après réaménagement.", "Stacking pattern for %s no longer posted after the rearrangement.", []string{"Cartons écrasés", "Gerbage faux", "Plan absent"}}}},
	{code: "count", category: "quantity", station: "PACK7",
		fr: []string{"quantité différente du bon de livraison", "il manque des colis", "palette incomplète", "nombre de colis faux"},
		en: []string{"quantity differs from the delivery note", "parcels missing", "pallet short", "wrong parcel count"},
		causes: []cause{
			{domain.IshikawaMeasurement, "Balance de contrôle en panne, comptage à vue.", "Check scale broken, counting by eye.", []string{"Quantité fausse", "Comptage à vue", "Balance en panne"}}}},
	{code: "box_label", category: "labelling", station: "PACK7",
		fr: []string{"étiquette colis erronée", "mauvaise référence sur l'étiquette", "étiquette d'un autre produit", "étiquette illisible sur le carton"},
		en: []string{"wrong parcel label", "wrong reference on the label", "label of another product", "unreadable label on the box"},
		causes: []cause{
			{domain.IshikawaMethod, "Étiquettes imprimées à l'avance pour la journée.", "Labels printed in advance for the whole day.", []string{"Étiquette fausse", "Impression anticipée", "Pas de scan"}}}},
	{code: "unprotected", category: "handling_damage", station: "PACK7",
		fr: []string{"pièces non protégées dans le carton", "pièces rayées pendant le transport", "calage absent", "pièces qui bougent dans le colis"},
		en: []string{"parts unprotected in the box", "parts scratched in transit", "no dunnage", "parts loose in the parcel"},
		causes: []cause{
			{domain.IshikawaMaterial, "Rupture de stock des calages mousse des %s.", "Foam dunnage for %s out of stock.", []string{"Pièces rayées", "Calage absent", "Stock non suivi"}}}},
	{code: "mixed_refs", category: "quantity", station: "PACK7",
		fr: []string{"références mélangées dans le carton", "deux références dans le même colis", "carton avec une autre variante", "mélange de variantes"},
		en: []string{"references mixed in the box", "two references in one parcel", "box holding another variant", "variants mixed up"},
		causes: []cause{
			{domain.IshikawaMethod, "Bac de la %s posé au même emplacement qu'une autre variante.", "The %s bin placed where another variant's goes.", []string{"Mélange", "Emplacement partagé", "Pas de marquage au sol"}}}},
}

// Sentence pieces shared by every problem: where and how the defect was
// seen, how much, what it did. They make descriptions of different
// problems look alike, as on a real shop floor.
var (
	howMuchFR = []string{"sur %d pièces", "environ une pièce sur dix", "tout le lot", "sur %d pièces du lot", "plusieurs bacs touchés", "sur la moitié du lot", "%d pièces non conformes"}
	howMuchEN = []string{"on %d parts", "about one part in ten", "the whole lot", "on %d parts of the lot", "several bins affected", "on half of the lot", "%d non-conforming parts"}
	foundFR   = []string{"Vu au contrôle réception.", "Détecté au chargement.", "Signalé par l'équipe de nuit.", "Constaté en début de poste.", "Trouvé au montage.", "Lot mis en quarantaine."}
	foundEN   = []string{"Found at incoming inspection.", "Spotted when loading.", "Reported by the night shift.", "Seen at the start of the shift.", "Found at assembly.", "Lot quarantined."}
	impactFR  = []string{"Ligne arrêtée 20 minutes.", "Tri à 100 % en cours.", "Risque de retard client.", "Retouche impossible sur place.", ""}
	impactEN  = []string{"Line stopped for 20 minutes.", "100% sorting under way.", "Risk of a late customer delivery.", "Cannot be reworked here.", ""}
)

// noise are one-off complaints that belong to no recurring problem.
var noise = []struct{ category, fr, en string }{
	{"handling_damage", "Pièce tombée du convoyeur au transfert, bord plié.", "Part fell off the conveyor at transfer, edge bent."},
	{"other", "Bac de transport cassé, pièces en vrac.", "Transport bin broken, parts loose."},
	{"late_delivery", "Lot livré avec 4 heures de retard, ligne en attente.", "Lot delivered 4 hours late, line waiting."},
	{"labelling", "Fiche de lot écrite à la main, illisible.", "Handwritten lot card, unreadable."},
	{"quantity", "Un bac de trop livré, à renvoyer.", "One bin too many delivered, to send back."},
	{"other", "Pièces livrées au mauvais poste.", "Parts delivered to the wrong station."},
	{"contamination", "Eau dans le fond du bac après la pluie.", "Water at the bottom of the bin after the rain."},
	{"handling_damage", "Chariot élévateur a heurté la palette.", "Forklift hit the pallet."},
	{"late_delivery", "Rupture en ligne, attente de pièces du poste amont.", "Line starved, waiting for parts from upstream."},
	{"other", "Pièce de présérie mélangée à la série.", "Pre-series part mixed in with production."},
	{"labelling", "Code-barres du bac non lisible au scanner.", "Bin barcode does not scan."},
	{"contamination", "Ruban adhésif collé sur une pièce.", "Adhesive tape stuck on a part."},
	{"other", "Gant oublié dans un bac de pièces.", "Glove left in a parts bin."},
	{"quantity", "Bac à moitié vide marqué complet.", "Half-empty bin marked full."},
	{"handling_damage", "Film étirable arraché, palette instable.", "Stretch film torn, pallet unstable."},
	{"late_delivery", "Navette interne en panne, livraison reportée.", "Internal shuttle broken down, delivery postponed."},
	{"other", "Échantillon de laboratoire non rendu.", "Lab sample not returned."},
	{"contamination", "Copeaux d'un autre poste dans le bac.", "Chips from another station in the bin."},
	{"labelling", "Date de fabrication absente sur la fiche.", "Production date missing on the tag."},
	{"other", "Plan de la mauvaise révision joint au lot.", "Drawing of the wrong revision sent with the lot."},
	{"quantity", "Deux lots mélangés dans un même bac.", "Two lots mixed in one bin."},
	{"handling_damage", "Palette renversée pendant le déchargement.", "Pallet tipped over while unloading."},
	{"other", "Pièce d'essai du régleur laissée dans le lot.", "Setter's trial part left in the lot."},
	{"late_delivery", "Livraison du matin arrivée l'après-midi.", "Morning delivery arrived in the afternoon."},
	{"contamination", "Traces de marqueur sur la face visible.", "Marker pen on the visible face."},
	{"labelling", "Étiquette de quarantaine restée sur un lot libéré.", "Quarantine label left on a released lot."},
	{"other", "Bac consigné renvoyé sans être vidé.", "Returnable bin sent back without being emptied."},
	{"handling_damage", "Coin de pièce écrasé par la sangle.", "Part corner crushed by the strap."},
	{"quantity", "Compteur de la machine remis à zéro, quantité inconnue.", "Machine counter reset, quantity unknown."},
	{"other", "Odeur de brûlé sur un lot, rien de visible.", "Burning smell on a lot, nothing visible."},
	{"contamination", "Poussière de carton sur les pièces.", "Cardboard dust on the parts."},
	{"labelling", "Numéro de lot raturé.", "Lot number crossed out."},
	{"other", "Pièces livrées dans un bac d'un autre client.", "Parts delivered in another customer's bin."},
	{"handling_damage", "Rayure unique faite au cutter en ouvrant le carton.", "Single scratch from a box cutter when opening."},
	{"late_delivery", "Lot retenu au contrôle, arrivé en fin de poste.", "Lot held at inspection, arrived at the end of the shift."},
	{"other", "Pièce prototype envoyée par erreur.", "Prototype part sent by mistake."},
	{"quantity", "Étiquette annonce 50 pièces, 48 comptées à l'arrivée, 2 retrouvées ensuite.", "Label says 50 parts, 48 counted on arrival, 2 found later."},
	{"contamination", "Insecte mort dans le carton.", "Dead insect in the box."},
	{"labelling", "Fiche suiveuse d'un autre poste agrafée au lot.", "Another station's travel tag stapled to the lot."},
	{"other", "Plateau de manutention manquant.", "Handling tray missing."},
}

// Placeholders people type when they do not know the part.
var placeholders = []string{"?", "N/A", "voir photo", "-", "n/a", "inconnu", "see photo", "??"}

// The people: one or two operators per filing station, the engineer who
// handles each supplier station (as in the demo), the plant manager.
var operatorsOf = map[string][]string{
	"PRESS2": {"emma.roux", "marc.dubois"}, "WELD3": {"hugo.leroy"}, "PAINT4": {"lea.fournier"},
	"ASSY5": {"nathan.girard", "sarah.blanc"}, "TEST6": {"chloe.bonnet"}, "PACK7": {"louis.dupuis"}, "SHIP8": {"ines.lambert"},
}

var engineerOf = map[string]string{
	"CUT1": "julien.moreau", "PRESS2": "julien.moreau", "WELD3": "julien.moreau",
	"PAINT4": "sophie.bernard", "ASSY5": "sophie.bernard",
	"TEST6": "karim.haddad", "PACK7": "karim.haddad", "SHIP8": "karim.haddad",
}

const plantManager = "claire.martin"
