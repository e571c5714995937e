package analytics

import (
	"strings"
	"sync"
)

// A plant writes its complaints in French and in English, often the same
// failure in both: "rayures sur le capot" and "scratches on the hood".
// The stems of the two languages never meet, so the problem proposal maps
// the English words of the shop floor to their French counterpart before
// comparing descriptions and causes. The list is the general vocabulary
// of defects, parts and causes, not any plant's; a word missing here only
// makes a paraphrase in the other language score lower.
var bilingualPairs = `
scratch:rayure scratches:rayures scratched:rayé scuff:rayure
dent:bosse dents:bosses dented:bosselé
burr:bavure burrs:bavures flash:bavure
crack:fissure cracks:fissures cracked:fissuré
leak:fuite leaks:fuites leaking:fuite
rust:rouille rusty:rouillé corroded:corrodé
oil:huile oily:huileux grease:graisse greasy:graisseux
paint:peinture painting:peinture coat:revêtement coating:revêtement
hood:capot cover:capot housing:carter casing:carter
bracket:support brackets:supports
hole:trou holes:trous drilling:perçage drilled:percé drill:perçage
thread:filetage threads:filetage threaded:fileté tapping:taraudage
screw:vis screws:vis bolt:boulon bolts:boulons nut:écrou nuts:écrous washer:rondelle
missing:manquant missed:manquant absent:manquant
label:étiquette labels:étiquettes labelling:étiquetage labeling:étiquetage
unreadable:illisible illegible:illisible
length:longueur short:court shorter:court long:long
diameter:diamètre width:largeur height:hauteur thickness:épaisseur
bent:tordu bend:pliage twisted:tordu deformed:déformé deformation:déformation warped:voilé warp:voilage
chipped:écaillé chipping:écaillage peeling:écaillage flaking:écaillage
bubble:bulle bubbles:bulles blister:cloque blisters:cloques
stain:tache stains:taches stained:taché spot:tache spots:taches
dirty:sale dirt:saleté dust:poussière dusty:poussiéreux
weld:soudure welds:soudures welding:soudage welded:soudé
tolerance:tolérance dimension:cote dimensions:cotes oversize:surcote undersize:souscote
wrong:mauvais incorrect:mauvais position:position offset:décalé misaligned:désaligné misalignment:désalignement
broken:cassé break:casse torn:déchiré tear:déchirure
loose:desserré tight:serré gap:jeu play:jeu
noise:bruit noisy:bruyant vibration:vibration
seal:joint gasket:joint sealing:étanchéité
spring:ressort pin:goupille rivet:rivet cable:câble wire:fil connector:connecteur
packaging:emballage box:carton pallet:palette
quantity:quantité count:comptage mixed:mélangé
edge:arête edges:arêtes sharp:coupant
porosity:porosité pores:pores inclusion:inclusion shrinkage:retassure sink:retassure
run:coulure runs:coulures sag:coulure drip:coulure drips:coulures
scale:calamine oxidation:oxydation burn:brûlure burnt:brûlé
flatness:planéité flat:plat angle:angle
surface:surface finish:finition mark:marque marks:marques trace:trace traces:traces
color:couleur colour:couleur shade:teinte
part:pièce parts:pièces piece:pièce batch:lot
operator:opérateur training:formation trained:formé
machine:machine tool:outil tooling:outillage worn:usé wear:usure
setting:réglage settings:réglages adjustment:réglage calibration:étalonnage
material:matière supplier:fournisseur steel:acier sheet:tôle
method:méthode procedure:procédure instruction:instruction
measurement:mesure gauge:calibre
humidity:humidité temperature:température
spatter:projection sprayer:pulvérisateur spray:pulvérisateur empty:vide
shift:poste shifts:postes applied:appliqué alert:alerte
`

var (
	conceptOnce sync.Once
	concepts    map[string]string // English stem → French stem
)

// concept maps a term to its French counterpart, if the lexicon has one.
func concept(term string) string {
	conceptOnce.Do(func() {
		concepts = map[string]string{}
		for _, pair := range strings.Fields(bilingualPairs) {
			en, fr, _ := strings.Cut(pair, ":")
			e, f := computeWord(en), computeWord(fr)
			if !e.stop && !f.stop && e.term != f.term {
				if _, taken := concepts[e.term]; !taken {
					concepts[e.term] = f.term
				}
			}
		}
	})
	if c, ok := concepts[term]; ok {
		return c
	}
	return term
}
